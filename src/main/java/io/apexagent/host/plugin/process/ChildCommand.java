package io.apexagent.host.plugin.process;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.process.child.ChildMain;
import io.apexagent.host.security.PluginGrants;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginSecurityException;

/**
 * The command line and environment of a plugin's child process, with its OS limits.
 *
 * <p>Memory: a child JVM gets {@code -Xmx} = {@code limits.memory_mb} plus bounded metaspace and direct
 * memory (a child out of heap exits at once, so the host's crash handling restarts it), and no RLIMIT_AS,
 * because a JVM reserves far more virtual address space than it uses (heap reservation, code cache,
 * compressed class space) and would not even start under a tight one. A Python
 * child gets RLIMIT_AS = {@code memory_mb}, set by its bootstrap with {@code resource.setrlimit}.
 * CPU: RLIMIT_CPU ({@code apex.plugins.process.cpu-seconds}, off by default) through {@code prlimit} for a
 * JVM and the bootstrap for Python. Network: without {@code network_access} (not declared, or denied by the
 * operator) the child runs in an empty network namespace ({@code unshare -rn}) where the OS allows it, else
 * with a logged warning. With
 * {@code network_access} but hosts limited by the operator ({@code allowed-hosts}), it runs there too, whatever
 * {@code isolate-network} says: its only network is then {@code context.http()}, which the host checks against
 * those hosts; where no namespace can be had, such a plugin is refused.
 */
final class ChildCommand {

    private static final Logger LOG = Logger.getLogger(ChildCommand.class);
    private static volatile Boolean unshareWorks;

    /** A command with the environment it needs. */
    record Spec(List<String> command, Map<String, String> environment) {
    }

    private ChildCommand() {
    }

    static Spec java(PluginManifest manifest, List<Path> classPath, ApexConfig.Process config) {
        long memoryMb = manifest.limits().memoryMb() > 0 ? manifest.limits().memoryMb() : config.defaultMemoryMb();
        List<String> command = prefix(manifest, config);
        if (config.cpuSeconds() > 0) {
            command.addAll(List.of("prlimit", "--cpu=" + config.cpuSeconds(), "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + memoryMb + "m", "-XX:MaxMetaspaceSize=128m", "-XX:MaxDirectMemorySize=" + memoryMb + "m",
                "-XX:+UseSerialGC", "-Xshare:auto",
                // a child out of heap is in no state to serve: it exits (code 3), and the host restarts it
                "-XX:+ExitOnOutOfMemoryError",
                // the VM's own messages ("Terminating due to …") go to the log, not into the protocol on stdout
                "-XX:+DisplayVMOutputToStderr",
                // names the plugin in process listings (ps, and the tests' leak checks)
                "-Dapex.plugin.dir=" + manifest.directory().toAbsolutePath(),
                "-cp", ChildClasspath.of(ChildCommand.class.getClassLoader()),
                ChildMain.class.getName(), manifest.className(),
                classPath.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator))));
        return new Spec(command, Map.of());
    }

    static Spec python(PluginManifest manifest, Path main, Path sdk, ApexConfig.Process config) {
        long memoryMb = manifest.limits().memoryMb() > 0 ? manifest.limits().memoryMb() : config.defaultPythonMemoryMb();
        List<String> command = prefix(manifest, config);
        command.addAll(List.of(config.python(), "-u", "-m", "apexagent_plugin", main.toAbsolutePath().toString(),
                manifest.className() == null ? "" : manifest.className()));
        return new Spec(command, Map.of("PYTHONPATH", sdk.toAbsolutePath().toString(),
                "PYTHONDONTWRITEBYTECODE", "1",
                "APEX_LIMIT_AS_MB", String.valueOf(memoryMb),
                "APEX_LIMIT_CPU_SECONDS", String.valueOf(config.cpuSeconds())));
    }

    private static List<String> prefix(PluginManifest manifest, ApexConfig.Process config) {
        List<String> command = new ArrayList<>();
        // the effective grant: network_access the operator denies is no network, whatever the manifest says
        boolean network = PluginGrants.of(manifest).contains(Permission.NETWORK_ACCESS);
        boolean hostsNarrowed = PluginGrants.hostsNarrowed(manifest);
        boolean confine = network ? hostsNarrowed : config.isolateNetwork();
        if (!confine) {
            return command;
        }
        if (unshareWorks()) {
            command.addAll(List.of("unshare", "-rn"));
        } else if (hostsNarrowed) {
            throw new PluginSecurityException(manifest.id(), "plugin " + manifest.id() + " is refused: the operator "
                    + "limits its network to some hosts (apex.security.policy.\"" + manifest.id() + "\".allowed-hosts), "
                    + "and its process cannot be kept off the network here to leave it only context.http() "
                    + "('unshare -rn' is not available)", null);
        } else {
            LOG.warnf("plugin %s lacks network_access but runs with the host's network: 'unshare -rn' is not "
                    + "available here (user namespaces disabled or not Linux)", manifest.id());
        }
        return command;
    }

    private static boolean unshareWorks() {
        Boolean works = unshareWorks;
        if (works == null) {
            works = probe("unshare", "-rn", "true");
            unshareWorks = works;
        }
        return works;
    }

    private static boolean probe(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
