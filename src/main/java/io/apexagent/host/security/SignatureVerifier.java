package io.apexagent.host.security;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;

import org.jboss.logging.Logger;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.security.cli.PluginSigner;
import io.apexagent.plugin.PluginSecurityException;

/**
 * Checks a plugin folder's {@code manifest.sig} (Ed25519 over {@link PluginSigner#digest}) against the
 * trusted keys. A signature that does not verify is always refused; a missing one only in
 * {@link SignatureMode#REQUIRED}, otherwise it is logged. Thread-safe (immutable).
 */
public final class SignatureVerifier {

    private static final Logger LOG = Logger.getLogger(SignatureVerifier.class);

    private final List<PublicKey> trustedKeys;
    private final SignatureMode mode;

    /**
     * @param trustedKeys keys whose signatures are accepted
     * @param mode        whether unsigned plugins are refused
     */
    public SignatureVerifier(List<PublicKey> trustedKeys, SignatureMode mode) {
        this.trustedKeys = List.copyOf(trustedKeys);
        this.mode = mode;
    }

    /** @throws PluginSecurityException when the plugin is unsigned in required mode or its signature is bad */
    public void verify(PluginManifest manifest) {
        String id = manifest.id();
        if (!Files.exists(manifest.directory().resolve(PluginSigner.SIGNATURE_FILE))) {
            if (mode == SignatureMode.REQUIRED) {
                throw new PluginSecurityException(id, "plugin " + id + " is not signed: " + manifest.directory()
                        + " has no " + PluginSigner.SIGNATURE_FILE + " and apex.security.signatures is 'required'; "
                        + "sign it with 'java src/main/java/io/apexagent/host/security/cli/PluginSigner.java sign "
                        + "<pluginDir> <privateKeyFile>' using a key listed in apex.security.trusted-keys", null);
            }
            LOG.warnf("plugin %s is not signed (no %s in %s); loading it because apex.security.signatures is "
                    + "'optional'", id, PluginSigner.SIGNATURE_FILE, manifest.directory());
            return;
        }
        boolean valid;
        try {
            valid = PluginSigner.verify(manifest.directory(), trustedKeys);
        } catch (IOException | GeneralSecurityException e) {
            throw new PluginSecurityException(id, "plugin " + id + ": cannot check " + PluginSigner.SIGNATURE_FILE
                    + " in " + manifest.directory() + " (" + e + ")", e);
        }
        if (!valid) {
            String keys = trustedKeys.isEmpty() ? "no key is trusted (apex.security.trusted-keys is empty)"
                    : "it matches the plugin's files for none of the " + trustedKeys.size()
                            + " key(s) in apex.security.trusted-keys";
            throw new PluginSecurityException(id, "plugin " + id + " has a bad signature in "
                    + manifest.directory().resolve(PluginSigner.SIGNATURE_FILE) + ": " + keys + ". A file was added, "
                    + "changed or removed after signing, or another key signed it; re-sign the folder with a trusted "
                    + "key, or trust the signer's public key", null);
        }
        LOG.debugf("plugin %s: signature verified", id);
    }

    /** @return the mode in force */
    public SignatureMode mode() {
        return mode;
    }
}
