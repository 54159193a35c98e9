package io.apexagent.host.plugin.loader;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests for cache keys. Each builder is confined to one thread. */
final class Digests {

    private Digests() {
    }

    static Builder sha256() {
        try {
            return new Builder(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Accumulates length-prefixed parts, so that ("ab","c") and ("a","bc") differ. */
    static final class Builder {
        private final MessageDigest digest;

        private Builder(MessageDigest digest) {
            this.digest = digest;
        }

        Builder add(String part) {
            return add(part.getBytes(StandardCharsets.UTF_8));
        }

        Builder add(byte[] part) {
            int n = part.length;
            digest.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
            digest.update(part);
            return this;
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
