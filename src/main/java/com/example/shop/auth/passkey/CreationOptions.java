package com.example.shop.auth.passkey;

import java.util.List;

/**
 * What a browser needs to create a passkey for the signed-in user: the relying party, the user (its handle is the
 * base64url of its id), a fresh challenge, and the passkeys it has already (not to be registered twice).
 */
public record CreationOptions(String rpId, String rpName, String userHandle, String userName, String userDisplayName,
        String challenge, long timeoutMillis, List<Long> algorithms, List<Passkey> existing) {
}
