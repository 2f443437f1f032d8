using System.Text.Json;
using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.Sample.Stores;

/// <summary>One user in DevRank's compact form. Every field but <c>l</c> and <c>tc</c> may be absent.</summary>
internal sealed class UserRecord
{
    /// <summary><c>l</c>: the GitHub login, in its canonical spelling.</summary>
    [JsonPropertyName("l"), JsonRequired]
    public string Login { get; set; } = "";

    /// <summary><c>tc</c>: total contributions; <c>users.json</c> is sorted by it, descending.</summary>
    [JsonPropertyName("tc"), JsonRequired]
    public int TotalContributions { get; set; }

    /// <summary><c>fy</c>: the first year with contributions; <c>y</c> and <c>cy</c> start there.</summary>
    [JsonPropertyName("fy")]
    public int? FirstYear { get; set; }

    /// <summary><c>lu</c>: when the record was last updated; the text read is kept, so a save does not rewrite it.</summary>
    [JsonPropertyName("lu")]
    public IsoTimestamp? LastUpdated { get; set; }

    /// <summary><c>y</c>: contributions per year from <see cref="FirstYear"/>.</summary>
    [JsonPropertyName("y")]
    public List<int>? Years { get; set; }

    /// <summary><c>cy</c>: commits per year from <see cref="FirstYear"/>.</summary>
    [JsonPropertyName("cy")]
    public List<int>? CommitYears { get; set; }

    /// <summary><c>n</c>: display name.</summary>
    [JsonPropertyName("n")]
    public string? Name { get; set; }

    /// <summary><c>i</c>: the numeric GitHub id.</summary>
    [JsonPropertyName("i")]
    public long? Id { get; set; }

    /// <summary><c>lc</c>: free-text location.</summary>
    [JsonPropertyName("lc")]
    public string? Location { get; set; }

    /// <summary><c>cc</c>: ISO country code derived from the location.</summary>
    [JsonPropertyName("cc")]
    public string? CountryCode { get; set; }

    /// <summary><c>c</c>: company.</summary>
    [JsonPropertyName("c")]
    public string? Company { get; set; }

    /// <summary><c>b</c>: bio (any Unicode, including CJK, emoji and CR LF).</summary>
    [JsonPropertyName("b")]
    public string? Bio { get; set; }

    /// <summary><c>fl</c>: followers.</summary>
    [JsonPropertyName("fl")]
    public int? Followers { get; set; }

    /// <summary><c>o</c>: organisations, each <c>[login, id]</c> in the file.</summary>
    [JsonPropertyName("o")]
    public List<Organisation>? Organisations { get; set; }

    /// <summary><c>li</c>: LinkedIn profile.</summary>
    [JsonPropertyName("li")]
    public string? LinkedIn { get; set; }

    /// <summary>Fields this version does not know: kept and written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>An organisation membership, <c>[login, id]</c> in the file.</summary>
/// <param name="Login">The organisation's login.</param>
/// <param name="Id">Its numeric id, when known.</param>
[JsonConverter(typeof(OrganisationConverter))]
internal sealed record Organisation(string Login, long? Id);
