package io.apexagent.host.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;
import io.restassured.authentication.AuthenticationScheme;

/**
 * Who the test suite is towards the admin API: one user per role with a password made up at each run
 * (HTTP Basic, the dev/test mechanism), and RS256 JWTs signed by a key pair made up at each run (the
 * production mechanism, used by packaged hosts). Nothing here is a real credential. Thread-safe.
 */
public final class TestAuth {

    /** The issuer the tokens name and the hosts are configured to trust. */
    public static final String ISSUER = "https://apex-test-issuer.invalid";
    /** The user every test acts as unless it says otherwise. */
    public static final String DEFAULT_USER = "admin";
    /** Users of the suite, named after their only role. */
    public static final List<String> USERS = List.of("viewer", "operator", "admin");

    private static final String RUN = UUID.randomUUID().toString();
    private static final KeyPair KEYS = rsaKeyPair();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAuth() {
    }

    /** @return the password of a suite user (made up per run) */
    public static String password(String user) {
        return user + "-" + RUN;
    }

    /** @return the embedded users and the JWT settings for a {@code @QuarkusTest} host */
    public static Map<String, String> hostConfig() {
        Map<String, String> config = new HashMap<>();
        for (String user : USERS) {
            config.put("quarkus.security.users.embedded.users." + user, password(user));
            config.put("quarkus.security.users.embedded.roles." + user, user);
        }
        config.put("mp.jwt.verify.issuer", ISSUER);
        config.put("mp.jwt.verify.publickey", publicKeyBase64());
        return config;
    }

    /** @return the base64 (X.509) public key that verifies {@link #token} */
    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /** @return the public key as PEM (what a key file of an identity provider holds) */
    public static String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** @return RestAssured's preemptive Basic authentication as a suite user */
    public static AuthenticationScheme basic(String user) {
        return RestAssured.preemptive().basic(user, password(user));
    }

    /** @return the value of an {@code Authorization} header for a suite user */
    public static String basicHeader(String user) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password(user)).getBytes(StandardCharsets.UTF_8));
    }

    /** Makes every RestAssured request of this JVM authenticate as the default user unless it says otherwise. */
    public static void useDefaultUser() {
        RestAssured.authentication = basic(DEFAULT_USER);
    }

    /** @return a signed JWT for a subject with the given groups (roles), valid for an hour */
    public static String token(String subject, String... groups) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = Map.of("iss", ISSUER, "sub", subject, "upn", subject, "groups", List.of(groups),
                "iat", now, "exp", now + 3600, "jti", UUID.randomUUID().toString());
        String signingInput = base64Url(json(Map.of("alg", "RS256", "typ", "JWT"))) + "." + base64Url(json(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(KEYS.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a test JWT", e);
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key pair generator", e);
        }
    }
}
