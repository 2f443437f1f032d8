using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>Suite 7: the opt-in backup of the replaced version, and explicit recovery and quarantine.</summary>
public sealed class BackupTests : IDisposable
{
    private static readonly JsonFileStore<Profile> Plain = JsonFileStore.CreateWithReflection<Profile>("profile.json");
    private static readonly JsonFileStore<Profile> WithBackup = JsonFileStore.CreateWithReflection<Profile>("profile.json", writeOptions: new AtomicWriteOptions { KeepBackup = true });
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Without_the_option_no_backup_is_made()
    {
        Plain.Save(_dir.Path, new Profile("a", 1, []));
        Plain.Save(_dir.Path, new Profile("a", 2, []));

        Assert.False(File.Exists(Plain.GetBackupPath(_dir.Path)));
    }

    [Fact]
    public void Each_save_keeps_the_version_it_replaced_as_bak()
    {
        WithBackup.Save(_dir.Path, new Profile("a", 1, []));
        Assert.False(File.Exists(WithBackup.GetBackupPath(_dir.Path)));
        byte[] first = File.ReadAllBytes(WithBackup.GetPath(_dir.Path));

        WithBackup.Save(_dir.Path, new Profile("a", 2, []));

        Assert.Equal(first, File.ReadAllBytes(WithBackup.GetBackupPath(_dir.Path)));
        Assert.Equal(2, WithBackup.Load(_dir.Path).Contributions);
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void The_backup_is_a_hard_link_to_the_replaced_file_not_a_copy()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "inode numbers via stat(1)");
        WithBackup.Save(_dir.Path, new Profile("a", 1, []));
        string before = Sh.Must("stat", "-c", "%i", WithBackup.GetPath(_dir.Path)).Trim();

        WithBackup.Save(_dir.Path, new Profile("a", 2, []));

        Assert.Equal(before, Sh.Must("stat", "-c", "%i", WithBackup.GetBackupPath(_dir.Path)).Trim());
    }

    [Fact]
    public void A_file_damaged_outside_the_library_is_recovered_explicitly_and_the_damage_is_kept()
    {
        WithBackup.Save(_dir.Path, new Profile("good", 1, []));
        WithBackup.Save(_dir.Path, new Profile("good", 2, []));
        string path = WithBackup.GetPath(_dir.Path);
        File.WriteAllText(path, "{\"Login\":\"dam"); // an in-place write by someone else, cut short
        Assert.Throws<StoreCorruptException>(() => WithBackup.Load(_dir.Path));

        Profile restored = WithBackup.RestoreBackup(_dir.Path);

        Assert.Equal(1, restored.Contributions);
        Assert.Equal(1, WithBackup.Load(_dir.Path).Contributions);
        string quarantined = Assert.Single(Directory.GetFiles(_dir.Path, "profile.json.corrupt-*"));
        Assert.Equal("{\"Login\":\"dam", File.ReadAllText(quarantined));
        // The restore did not replace the good backup with the damaged file.
        Assert.Equal(File.ReadAllBytes(WithBackup.GetBackupPath(_dir.Path)), File.ReadAllBytes(path));
    }

    [Fact]
    public void Restoring_a_corrupt_or_missing_backup_changes_nothing()
    {
        string path = WithBackup.GetPath(_dir.Path);
        File.WriteAllText(path, "damaged");

        Assert.Throws<StoreNotFoundException>(() => WithBackup.RestoreBackup(_dir.Path));
        File.WriteAllText(WithBackup.GetBackupPath(_dir.Path), "also damaged");
        Assert.Throws<StoreCorruptException>(() => WithBackup.RestoreBackup(_dir.Path));

        Assert.Equal("damaged", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.corrupt-*"));
    }

    [Fact]
    public void Quarantine_moves_the_damaged_file_aside_so_the_store_can_start_afresh()
    {
        string path = Plain.GetPath(_dir.Path);
        File.WriteAllBytes(path, new byte[512]);

        string quarantined = Plain.Quarantine(_dir.Path);

        Assert.False(File.Exists(path));
        Assert.Equal(new byte[512], File.ReadAllBytes(quarantined));
        Assert.False(Plain.TryLoad(_dir.Path, out _));
        Assert.Throws<StoreNotFoundException>(() => Plain.Quarantine(_dir.Path));
    }
}
