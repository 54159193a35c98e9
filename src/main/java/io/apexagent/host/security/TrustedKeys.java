package io.apexagent.host.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import io.apexagent.host.security.cli.PluginSigner;

/** Parses {@code apex.security.trusted-keys} entries: a key file's path, or the base64 key itself. */
public final class TrustedKeys {

    private TrustedKeys() {
    }

    /**
     * @param entries base64 X.509 SubjectPublicKeyInfo Ed25519 keys, or paths of files holding one
     * @return the keys, in order
     * @throws IllegalArgumentException naming the first entry that is neither a readable key file nor a key
     */
    public static List<PublicKey> parse(List<String> entries) {
        List<PublicKey> keys = new ArrayList<>();
        for (String entry : entries) {
            String value = entry.strip();
            if (value.isEmpty()) {
                continue;
            }
            try {
                keys.add(isFile(value) ? PluginSigner.readPublicKey(Path.of(value)) : PluginSigner.decodePublicKey(value));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("apex.security.trusted-keys entry '" + abbreviate(value)
                        + "' is neither a readable file nor a base64 Ed25519 public key (X.509 SubjectPublicKeyInfo, as "
                        + "written by 'PluginSigner keygen'): " + e.getMessage(), e);
            }
        }
        return List.copyOf(keys);
    }

    private static boolean isFile(String value) {
        try {
            return Files.isRegularFile(Path.of(value));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
