package io.chakrai.api.devices;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts device auth tokens at rest with AES-256-GCM (the JDK's own implementation). The stored
 * text is base64(nonce[12] || ciphertext || tag[16]); the device's row id is bound as associated
 * data so a ciphertext copied onto another device's row does not decrypt.
 */
public final class TokenCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param base64Key 32 bytes, base64-encoded (e.g. {@code openssl rand -base64 32})
     */
    public TokenCipher(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the device token key must be base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(
                    "the device token key must be 32 bytes (base64 of 32 random bytes)");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String plaintext, int deviceRowId) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(deviceRowId));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder()
                    .encodeToString(
                            ByteBuffer.allocate(nonce.length + ct.length)
                                    .put(nonce)
                                    .put(ct)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public String decrypt(String stored, int deviceRowId) throws GeneralSecurityException {
        byte[] all = Base64.getDecoder().decode(stored);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
        c.updateAAD(aad(deviceRowId));
        return new String(
                c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    }

    private static byte[] aad(int deviceRowId) {
        return ("biometric_devices:" + deviceRowId).getBytes(StandardCharsets.UTF_8);
    }
}
