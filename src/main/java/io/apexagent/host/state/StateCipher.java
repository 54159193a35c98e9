package io.apexagent.host.state;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.apexagent.host.config.ApexConfig;
import io.quarkus.vault.VaultTransitSecretReactiveEngine;
import io.quarkus.vault.transit.ClearData;
import io.smallrye.mutiny.Uni;

/**
 * Encrypts and decrypts plugin state with Vault Transit (key {@code apex.state.transit-key}); after a key
 * rotation, older ciphertexts stay readable and new writes use the newest key version. Thread-safe.
 */
@ApplicationScoped
public class StateCipher {

    private static final Pattern KEY_VERSION = Pattern.compile("^vault:v(\\d+):");

    @Inject
    VaultTransitSecretReactiveEngine transit;

    @Inject
    ApexConfig config;

    /** @return the Transit ciphertext ({@code vault:v<n>:...}) of {@code plaintext} */
    public Uni<String> encrypt(String pluginId, String plaintext) {
        return transit.encrypt(config.state().transitKey(), plaintext)
                .onFailure().transform(e -> StateFailures.vault(pluginId, "encrypt", config.state().transitKey(), e));
    }

    /** @return the plaintext of a ciphertext written by {@link #encrypt} */
    public Uni<String> decrypt(String pluginId, String ciphertext) {
        return transit.decrypt(config.state().transitKey(), ciphertext)
                .map(ClearData::asString)
                .onFailure().transform(e -> StateFailures.vault(pluginId, "decrypt", config.state().transitKey(), e));
    }

    /** @return the Transit key version a ciphertext was written with, or 0 when it is not Transit ciphertext */
    public static int keyVersionOf(String ciphertext) {
        Matcher m = ciphertext == null ? null : KEY_VERSION.matcher(ciphertext);
        return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
