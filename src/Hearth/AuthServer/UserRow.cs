namespace Hearth.AuthServer;

/// <summary>
/// One auth.users row as /auth/v1 needs it: what the user JSON shows, what the access token claims carry,
/// and the password hash (never serialized). Metadata and identities stay JSON text from PostgreSQL.
/// </summary>
public sealed record UserRow(
    Guid Id,
    string Aud,
    string Role,
    string? Email,
    string? Phone,
    string? EncryptedPassword,
    DateTime? EmailConfirmedAt,
    DateTime? PhoneConfirmedAt,
    DateTime? ConfirmationSentAt,
    DateTime? ConfirmedAt,
    string? NewEmail,
    DateTime? EmailChangeSentAt,
    DateTime? LastSignInAt,
    string AppMetadataJson,
    string UserMetadataJson,
    string IdentitiesJson,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? BannedUntil,
    DateTime? DeletedAt,
    bool IsAnonymous)
{
    public bool HasPassword => !string.IsNullOrEmpty(EncryptedPassword);
    public bool IsEmailConfirmed => EmailConfirmedAt is not null;
    public bool IsBanned(DateTime nowUtc) => BannedUntil is { } until && nowUtc < until;
}
