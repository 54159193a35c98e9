package io.apexagent.host.security.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Signs plugin folders with Ed25519 and checks them; also the one definition of the canonical digest
 * the host verifies. JDK only, so it runs as a single file:
 *
 * <pre>
 * java src/main/java/io/apexagent/host/security/cli/PluginSigner.java keygen &lt;out-prefix&gt;
 * java src/main/java/io/apexagent/host/security/cli/PluginSigner.java sign &lt;pluginDir&gt; &lt;privateKeyFile&gt;
 * java src/main/java/io/apexagent/host/security/cli/PluginSigner.java verify &lt;pluginDir&gt; &lt;publicKeyFile&gt;
 * </pre>
 *
 * Canonical digest: every regular file under the folder (symbolic links followed, as the loader would)
 * except {@value #SIGNATURE_FILE}, by relative path with {@code /} separators in sorted order, one line
 * each: {@code path NUL sha256-hex(content) LF}; the signature covers SHA-256 of that listing (UTF-8).
 * Key files hold base64 (PKCS#8 private, X.509 SubjectPublicKeyInfo public); lines starting with
 * {@code #} are comments. Thread-safe (stateless).
 */
public final class PluginSigner {

    /** The signature file in the plugin folder (base64 Ed25519 signature); not part of the digest. */
    public static final String SIGNATURE_FILE = "manifest.sig";
    /** The JDK algorithm name for keys and signatures. */
    public static final String ALGORITHM = "Ed25519";

    private PluginSigner() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("keygen")) {
            keygen(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("sign")) {
            sign(Path.of(args[1]), readPrivateKey(Path.of(args[2])));
            System.out.println("signed " + args[1] + " -> " + Path.of(args[1], SIGNATURE_FILE));
        } else if (args.length == 3 && args[0].equals("verify")) {
            boolean ok = verify(Path.of(args[1]), List.of(readPublicKey(Path.of(args[2]))));
            System.out.println(ok ? "OK: signature of " + args[1] + " is valid"
                    : "BAD: " + args[1] + " is unsigned, changed after signing, or signed with another key");
            System.exit(ok ? 0 : 1);
        } else {
            System.err.println("usage: PluginSigner keygen <out-prefix>   (writes <out-prefix>.key and <out-prefix>.pub)\n"
                    + "       PluginSigner sign <pluginDir> <privateKeyFile>\n"
                    + "       PluginSigner verify <pluginDir> <publicKeyFile>");
            System.exit(2);
        }
    }

    /** Writes {@code <prefix>.key} (PKCS#8, owner-only where the file system allows) and {@code <prefix>.pub}. */
    public static KeyPair keygen(Path prefix) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        Path key = Path.of(prefix + ".key");
        Files.writeString(key, base64(pair.getPrivate().getEncoded()) + "\n");
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            System.err.println("note: cannot restrict permissions of " + key + " on this file system; protect it");
        }
        Files.writeString(Path.of(prefix + ".pub"), base64(pair.getPublic().getEncoded()) + "\n");
        return pair;
    }

    /** Writes {@value #SIGNATURE_FILE} into the plugin folder, over its current files. */
    public static void sign(Path pluginDir, PrivateKey key) throws IOException, GeneralSecurityException {
        Signature signer = Signature.getInstance(ALGORITHM);
        signer.initSign(key);
        signer.update(digest(pluginDir));
        Files.writeString(pluginDir.resolve(SIGNATURE_FILE), base64(signer.sign()) + "\n");
    }

    /** @return whether the folder carries a signature over its current files by one of the keys */
    public static boolean verify(Path pluginDir, List<PublicKey> keys) throws IOException, GeneralSecurityException {
        Path sigFile = pluginDir.resolve(SIGNATURE_FILE);
        if (!Files.isRegularFile(sigFile)) {
            return false;
        }
        byte[] signature;
        try {
            signature = Base64.getMimeDecoder().decode(Files.readString(sigFile).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] digest = digest(pluginDir);
        for (PublicKey key : keys) {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(digest);
            try {
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (java.security.SignatureException e) {
                return false; // malformed signature bytes: no key can match
            }
        }
        return false;
    }

    /** @return SHA-256 of the canonical listing of the folder (see the class comment) */
    public static byte[] digest(Path pluginDir) throws IOException {
        return sha256(listing(pluginDir).getBytes(StandardCharsets.UTF_8));
    }

    /** @return the canonical listing: {@code path NUL sha256-hex LF} per file, sorted by path */
    public static String listing(Path pluginDir) throws IOException {
        List<String> paths;
        try (Stream<Path> walk = Files.walk(pluginDir, FileVisitOption.FOLLOW_LINKS)) {
            paths = walk.filter(Files::isRegularFile)
                    .map(p -> pluginDir.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> !rel.equals(SIGNATURE_FILE))
                    .sorted()
                    .collect(Collectors.toCollection(ArrayList::new));
        }
        StringBuilder out = new StringBuilder();
        for (String rel : paths) {
            out.append(rel).append('\0').append(HexFormat.of().formatHex(sha256(pluginDir.resolve(rel))))
                    .append('\n');
        }
        return out.toString();
    }

    /** @return the public key in a file (base64 X.509 SubjectPublicKeyInfo, {@code #} comments allowed) */
    public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        return decodePublicKey(keyText(file));
    }

    /** @return the key of base64 X.509 SubjectPublicKeyInfo text */
    public static PublicKey decodePublicKey(String base64) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(base64)));
    }

    /** @return the private key in a file (base64 PKCS#8, {@code #} comments allowed) */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(keyText(file))));
    }

    private static String keyText(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.strip().startsWith("#"))
                .collect(Collectors.joining());
    }

    private static byte[] decode(String base64) throws GeneralSecurityException {
        try {
            return Base64.getMimeDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new java.security.spec.InvalidKeySpecException("not base64: " + e.getMessage(), e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return md.digest();
    }

    private static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
