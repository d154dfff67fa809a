package org.knowmad.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with the server's {@code SECRET}: signs cookies and derives CSRF tokens. */
public final class Signer {

    private final SecretKeySpec key;
    /** One initialised Mac per thread: every request signs (its CSRF token), and getting and keying a Mac was a visible share of it. */
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();

    public Signer(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String sign(String value) {
        try {
            Mac mac = macs.get();
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                macs.set(mac);
            }
            byte[] sig = mac.doFinal(value.getBytes(StandardCharsets.UTF_8)); // doFinal leaves the Mac ready for the next value
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value.signature}, for a cookie. */
    public String seal(String value) {
        return value + "." + sign(value);
    }

    /** The value of a sealed cookie, or null if it was not made by us. */
    public String unseal(String sealed) {
        if (sealed == null) return null;
        int dot = sealed.lastIndexOf('.');
        if (dot <= 0) return null;
        String value = sealed.substring(0, dot);
        return constantTimeEquals(sign(value), sealed.substring(dot + 1)) ? value : null;
    }

    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
