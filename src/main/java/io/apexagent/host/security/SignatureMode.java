package io.apexagent.host.security;

/** Whether plugins must carry a valid {@code manifest.sig} by a trusted key. */
public enum SignatureMode {
    /** Unsigned or badly signed plugins are refused (production). */
    REQUIRED,
    /** Unsigned plugins load with a warning; a signature that does not verify is still refused. */
    OPTIONAL
}
