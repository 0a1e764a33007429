using System.Text.Json;

namespace Hearth.AuthServer;

/// <summary>The user object GoTrue returns (GET /user, sessions, admin API): its fields, order and omissions.</summary>
public static class UserJson
{
    public static void Write(Utf8JsonWriter w, UserRow u)
    {
        w.WriteStartObject();
        w.WriteString("id", u.Id.ToString());
        w.WriteString("aud", u.Aud);
        w.WriteString("role", u.Role);
        w.WriteString("email", u.Email ?? "");
        OptionalTime(w, "email_confirmed_at", u.EmailConfirmedAt);
        w.WriteString("phone", u.Phone ?? "");
        OptionalTime(w, "phone_confirmed_at", u.PhoneConfirmedAt);
        OptionalTime(w, "confirmation_sent_at", u.ConfirmationSentAt);
        OptionalTime(w, "confirmed_at", u.ConfirmedAt);
        if (u.NewEmail is { } newEmail) w.WriteString("new_email", newEmail);
        OptionalTime(w, "email_change_sent_at", u.EmailChangeSentAt);
        OptionalTime(w, "last_sign_in_at", u.LastSignInAt);
        AuthJson.WriteJson(w, "app_metadata", u.AppMetadataJson);
        AuthJson.WriteJson(w, "user_metadata", u.UserMetadataJson);
        AuthJson.WriteJson(w, "identities", u.IdentitiesJson);
        w.WriteString("created_at", AuthJson.Time(u.CreatedAt));
        w.WriteString("updated_at", AuthJson.Time(u.UpdatedAt));
        OptionalTime(w, "banned_until", u.BannedUntil);
        OptionalTime(w, "deleted_at", u.DeletedAt);
        w.WriteBoolean("is_anonymous", u.IsAnonymous);
        w.WriteEndObject();
    }

    private static void OptionalTime(Utf8JsonWriter w, string name, DateTime? t)
    {
        if (t is { } value) w.WriteString(name, AuthJson.Time(value));
    }
}
