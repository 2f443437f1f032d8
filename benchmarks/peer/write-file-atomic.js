// Peer driver: N sequential saves of the same bytes with npm write-file-atomic and its defaults
// (fsync of the temp file: yes; fsync of the folder: no). Prints {"ms": async total, "syncMs": sync total}.
// Usage: node write-file-atomic.js <folder> <payload file> <count>
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const writeFileAtomic = require('write-file-atomic')

async function main () {
  const [folder, payloadPath, countArg] = process.argv.slice(2)
  const count = Number(countArg || 1000)
  const bytes = fs.readFileSync(payloadPath)
  const target = path.join(folder, 'write-file-atomic.json')
  const syncTarget = path.join(folder, 'write-file-atomic-sync.json')
  for (let i = 0; i < 20; i++) {
    await writeFileAtomic(target, bytes)
    writeFileAtomic.sync(syncTarget, bytes)
  }

  let start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    await writeFileAtomic(target, bytes)
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6

  start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    writeFileAtomic.sync(syncTarget, bytes)
  }
  const syncMs = Number(process.hrtime.bigint() - start) / 1e6

  if (!fs.readFileSync(target).equals(bytes) || !fs.readFileSync(syncTarget).equals(bytes)) {
    throw new Error('content mismatch')
  }
  process.stdout.write(JSON.stringify({ ms, syncMs, count }) + '\n')
}

main().catch(err => { console.error(err); process.exit(1) })
