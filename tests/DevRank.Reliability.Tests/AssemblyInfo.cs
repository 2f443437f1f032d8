// The suites kill processes, mount file systems and time crashes: run them one at a time on the 2-core CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
