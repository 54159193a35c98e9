package io.apexagent.host.security;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.loader.PluginCodeVerifier;
import io.apexagent.plugin.PluginSecurityException;

/**
 * The host's check of plugin code before it is loaded: the folder's signature first (before anything is
 * compiled), then every class against {@link ApiRules} and the plugin's grant. Thread-safe.
 */
@Singleton
public class HostPluginCodeVerifier implements PluginCodeVerifier {

    private final SignatureVerifier signatures;

    @Inject
    public HostPluginCodeVerifier(ApexConfig config) {
        this(new SignatureVerifier(TrustedKeys.parse(config.security().trustedKeys().orElse(List.of())),
                config.security().signatures()));
    }

    /** @param signatures checks {@code manifest.sig} */
    public HostPluginCodeVerifier(SignatureVerifier signatures) {
        this.signatures = signatures;
    }

    @Override
    public void verifyFolder(PluginManifest manifest) {
        signatures.verify(manifest);
    }

    @Override
    public void verify(PluginManifest manifest, List<Path> classPath) {
        List<Violation> violations = new BytecodeScanner(PluginGrants.of(manifest), PluginGrants.hostsNarrowed(manifest))
                .scan(classPath);
        if (!violations.isEmpty()) {
            throw new PluginSecurityException(manifest.id(), refusal(manifest, violations), null);
        }
    }

    static String refusal(PluginManifest manifest, List<Violation> violations) {
        return "plugin " + manifest.id() + " is refused: its code uses APIs its permissions do not cover ("
                + violations.size() + " violation" + (violations.size() == 1 ? "" : "s") + "):\n  "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  "))
                + "\nDeclare the permission in " + manifest.manifestFile() + " where one is named, and reach files, "
                + "network (context.http()), events and other plugins through PluginContext; what is never allowed "
                + "must go";
    }
}
