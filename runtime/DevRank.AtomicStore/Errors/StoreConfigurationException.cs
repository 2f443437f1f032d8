namespace DevRank.AtomicStore;

/// <summary>
/// System.Text.Json cannot deserialize (or serialize) the store's type with the metadata it was given: a
/// <c>JsonSerializerContext</c> generated for serialization only, a constructor parameter that matches no property,
/// several public constructors and none marked <c>[JsonConstructor]</c>. This is a problem of the code, not of the
/// file: on a load the file was not judged and is left as it is (it may well be valid; do not quarantine it), on a
/// save nothing was written. The message says what System.Text.Json reported and what usually fixes it.
/// </summary>
public sealed class StoreConfigurationException : AtomicStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The full path of the store file.</param>
    /// <param name="documentType">The store's document type.</param>
    /// <param name="message">What cannot be done, what state the file is in, and what fixes it.</param>
    /// <param name="innerException">The error System.Text.Json raised, if any.</param>
    public StoreConfigurationException(string filePath, Type documentType, string message, Exception? innerException = null)
        : base(filePath, message, innerException)
    {
        ArgumentNullException.ThrowIfNull(documentType);
        DocumentType = documentType;
    }

    /// <summary>The store's document type, which System.Text.Json could not handle.</summary>
    public Type DocumentType { get; }
}
