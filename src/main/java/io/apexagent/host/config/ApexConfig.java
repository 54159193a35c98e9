package io.apexagent.host.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code apex.*} setting of the host, with its default. */
@ConfigMapping(prefix = "apex")
public interface ApexConfig {

    /** This replica's id in events and leases; defaults to the host name plus the process id. */
    Optional<String> nodeId();

    /** Start-up checks of the servers the host depends on. */
    Startup startup();

    /** Where plugins are found. */
    Plugins plugins();

    /** The Kafka action path. */
    Actions actions();

    /** The Kafka action path. */
    interface Actions {
        /** Requests running at once on this replica; more wait in Kafka. */
        @WithDefault("512")
        int maxInFlight();

        /** Larger request records go to the DLQ as oversized. */
        @WithDefault("1048576")
        int maxRequestBytes();

        /** How long a replica holds a running request before another may take it over (should exceed action timeouts). */
        @WithDefault("2m")
        Duration lease();

        /** Longest pause between retries of a result publication or database write while a server is down. */
        @WithDefault("10s")
        Duration maxRetryBackoff();

        /** Request records fetched by one poll of {@code apex.actions.requests}. */
        @WithDefault("500")
        int maxPollRecords();

        /** How often the offsets of finished requests are committed (also on rebalance and at shutdown). */
        @WithDefault("1s")
        Duration commitInterval();

        /**
         * At shutdown, how long running requests may still finish (and get their offsets committed) before the
         * request consumer closes; what is still running then is read again by the next owner of its partition.
         */
        @WithDefault("15s")
        Duration drainTimeout();

        /**
         * How long the {@code action_execution} row of a finished request is kept (its final record, replayed to a
         * client that sends the same requestId again). Older rows are deleted; a request redelivered after that runs
         * again, so keep this longer than the retention of {@code apex.actions.requests} (Kafka's default: 7 days).
         */
        @WithDefault("8d")
        Duration retention();

        /** How often each replica deletes the rows past {@link #retention()}. */
        @WithDefault("5m")
        Duration retentionSweepInterval();
    }

    /** Lifecycle operations that apply to every replica. */
    Cluster cluster();

    /** Cluster commands and the stored desired state. */
    interface Cluster {
        /**
         * How often each replica reads the stored desired state and applies the changes it has not applied yet: those
         * whose command it missed (the broker away longer than the command channel's delivery time-out).
         */
        @WithDefault("30s")
        Duration convergeInterval();
    }

    /** Lifecycle, plugin and error events on their Kafka topics. */
    Events events();

    /** Events the broker never acknowledged are held in PostgreSQL ({@code event_outbox}) and sent again. */
    interface Events {
        /** How often each replica looks for held events to send again. */
        @WithDefault("30s")
        Duration outboxInterval();

        /**
         * How long a replica that took held events to send has them to itself. Longer than the event channels'
         * {@code delivery.timeout.ms} (15 min), so that an event is not sent again while its first resend may still
         * succeed; a replica that dies holding some leaves them to the others after that.
         */
        @WithDefault("16m")
        Duration outboxClaim();

        /**
         * How long an event is held at most: one still not sent after that (a broker refusing it for longer) is
         * deleted, logged and counted as lost, so that the table cannot grow without end.
         */
        @WithDefault("7d")
        Duration outboxMaxAge();
    }

    /** Checks of plugin code before it is loaded: signatures and the bytecode rules. */
    Security security();

    /** Start-up checks. */
    interface Startup {
        /** Refuse to start when Kafka, PostgreSQL or Vault cannot be reached (with a message saying how to start it). */
        @WithDefault("true")
        boolean requireInfrastructure();

        /** How long to keep trying to reach each server before giving up (pods often start before their servers). */
        @WithDefault("20s")
        Duration infrastructureWait();
    }

    /** Persistence of plugin state (PostgreSQL, encrypted with Vault Transit). */
    State state();

    /** Plugin state persistence. */
    interface State {
        /** Vault Transit key that encrypts every plugin's state before it is written. */
        @WithDefault("apex-plugin-state")
        String transitKey();

        /** Largest serialized (JSON) state of one plugin, in bytes, unless set per plugin. */
        @WithDefault("1048576")
        int maxBytes();

        /** Per-plugin size limits in bytes: {@code apex.state.max-bytes-per-plugin."<id>"=65536}. */
        Map<String, Integer> maxBytesPerPlugin();

        /**
         * Operator override of the downgrade refusal: {@code apex.state.allow-downgrade."<id>"=true} lets a plugin
         * start on state written by a newer schema version (handed to it as stored; the newer snapshot is kept).
         */
        Map<String, Boolean> allowDowngrade();

        /** Time limit of one state read or write (database and Vault) during a lifecycle operation. */
        @WithDefault("10s")
        Duration timeout();

        /** Pause between retries of saves that failed because PostgreSQL or Vault was unreachable. */
        @WithDefault("5s")
        Duration retryInterval();

        /** Attempts of a write that lost an optimistic-lock race with another writer before it is reported. */
        @WithDefault("5")
        int conflictAttempts();
    }

    /** Operator-supplied settings per plugin: {@code apex.plugin-config."<id>".<key>=<value>}. */
    Map<String, Map<String, String>> pluginConfig();

    /** Plugin discovery, loading and calls. */
    interface Plugins {
        /** Directories scanned for plugin folders ({@code <dir>/<id>/manifest.json}). */
        @WithDefault("plugins")
        List<String> dirs();

        /** Root of the plugins' private data directories ({@code <data-dir>/<id>}). */
        @WithDefault("plugin-data")
        String dataDir();

        /** Where compiled {@code .java} plugins are cached by content hash. */
        @WithDefault("plugin-data/.compiled")
        String compileCacheDir();

        /** Load and start every plugin whose manifest says {@code default_enabled} at start-up. */
        @WithDefault("true")
        boolean startOnBoot();

        /** Pinned versions: {@code apex.plugins.pinned."<id>"=1.2.0} (otherwise the highest compatible). */
        Map<String, String> pinned();

        /** Time limit of an action when the manifest gives none. */
        @WithDefault("30s")
        Duration defaultTimeout();

        /** Concurrent calls per plugin when the manifest gives no {@code limits.max_concurrency}. */
        @WithDefault("8")
        int defaultMaxConcurrency();

        /** Calls that may wait for a busy plugin's worker before getting a "busy" error. */
        @WithDefault("256")
        int queueSize();

        /**
         * How long an idle plugin worker keeps polling for the next call before it parks, in microseconds (e.g. 50).
         * Can save the wake-up of a parked worker for calls that follow each other closely, at the cost of up to this
         * much CPU after each call, one worker per plugin at a time; it only pays on cores to spare. 0 (default, as
         * measured on shared cores) parks at once.
         */
        @WithDefault("0")
        long workerSpinMicros();

        /** How long a stop or reload waits for in-flight calls before interrupting them. */
        @WithDefault("30s")
        Duration drainTimeout();

        /** Time limit of a plugin's initialize and shutdown. */
        @WithDefault("30s")
        Duration initializeTimeout();

        /** Attempts of initialize when it fails with a transient error. */
        @WithDefault("3")
        int initializeAttempts();

        /** First pause between initialize attempts; doubles each time. */
        @WithDefault("200ms")
        Duration initializeBackoff();

        /** Background recovery of plugins that failed to load or initialize, or whose circuit breaker opened. */
        Recovery recovery();

        /** Per-call CPU and allocation budgets, their per-plugin overrides, and how runaway calls are stopped. */
        Limits limits();

        /** When repeated faults of a plugin's calls move it to FAILED. */
        Breaker breaker();

        /** Retries of calls that fail with {@code PluginTransientException} before the failure counts. */
        TransientRetry transientRetry();

        /** Out-of-process plugins ({@code "isolation": "process"} and {@code .py} main modules). */
        Process process();

        /** The HTTP client plugins reach through {@code context.http()}. */
        Http http();

        /** Watch the plugin directories and pick up added, changed and removed plugins. */
        @WithDefault("false")
        boolean watch();

        /** Quiet time before a burst of file changes is acted upon. */
        @WithDefault("500ms")
        Duration watchDebounce();
    }

    /** Limits of {@code context.http()} requests. */
    interface Http {
        /** Largest response body a plugin may receive, in bytes; a request may ask for less. */
        @WithDefault("10485760")
        long maxResponseBytes();

        /** Time limit of a whole exchange (redirects included) when the request gives none. */
        @WithDefault("30s")
        Duration timeout();

        /** Time limit of opening one connection. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Redirects followed for one request; one more fails it. */
        @WithDefault("5")
        int maxRedirects();

        /**
         * Whether {@code context.http()} may reach internal addresses (loopback, private, link-local such as a
         * cloud metadata service, unique-local) of hosts that the plugin's {@code allowed-hosts} does not name
         * exactly. A plugin's {@code apex.security.policy."<id>".internal-addresses} overrides it.
         */
        @WithDefault("false")
        boolean allowInternalAddresses();
    }

    /** Child processes of out-of-process plugins: interpreters, protocol limits and OS limits. */
    interface Process {
        /** Interpreter that runs {@code .py} main modules (Python 3.9 or later). */
        @WithDefault("python3")
        String python();

        /** Heap ({@code -Xmx}) of a child JVM when the manifest gives no {@code limits.memory_mb}. */
        @WithDefault("256")
        int defaultMemoryMb();

        /** Address-space limit of a Python child when the manifest gives no {@code limits.memory_mb}. */
        @WithDefault("1024")
        int defaultPythonMemoryMb();

        /** CPU-time limit (RLIMIT_CPU) of a child over its whole life, in seconds; 0 = none. */
        @WithDefault("0")
        int cpuSeconds();

        /** How often the host pings a child. */
        @WithDefault("1s")
        Duration heartbeatInterval();

        /** Silence of a child (no message at all) after which it counts as hung and is killed. */
        @WithDefault("5s")
        Duration heartbeatTimeout();

        /** Time a child gets to answer {@code initialize} (keep it below apex.plugins.initialize-timeout). */
        @WithDefault("15s")
        Duration initializeTimeout();

        /** Longest protocol line a child may write on stdout; a longer one kills it. */
        @WithDefault("1048576")
        int maxLineBytes();

        /** Chunks of one stream buffered for a slow consumer before the call fails. */
        @WithDefault("1024")
        int streamBuffer();

        /** Context-service calls one child may have waiting on the host at once; more are answered "busy". */
        @WithDefault("64")
        int maxChildCalls();

        /** Longest answer to a child's context-service call (also bounds its state); longer: "too_large". */
        @WithDefault("1048576")
        int maxReplyBytes();

        /** Run plugins without network_access in an empty network namespace ({@code unshare -rn}). */
        @WithDefault("true")
        boolean isolateNetwork();
    }

    /** Background recovery of failed plugins. */
    interface Recovery {
        /** Retry failed loads at all. */
        @WithDefault("true")
        boolean enabled();

        /** First pause before a retry; doubles each time up to {@link #maxBackoff()}. */
        @WithDefault("10s")
        Duration initialBackoff();

        /** Longest pause between retries. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** Retries before the plugin stays Failed until an operator acts. */
        @WithDefault("5")
        int maxAttempts();

        /**
         * How long a recovered plugin must keep serving before its attempt count is forgotten; a plugin that fails
         * again sooner waits longer each time (the backoff keeps doubling) instead of restarting at the first pause.
         */
        @WithDefault("1m")
        Duration healthyAfter();
    }

    /**
     * Per-call resource budgets. A budget's value is taken from, in order: the operator's per-plugin override
     * ({@code apex.plugins.limits.per-plugin."<id>".cpu-ms=200}), the manifest ({@code limits.cpu_ms},
     * {@code limits.alloc_mb}), the host default below. 0 means "no budget". An operator override wins over the
     * manifest both ways (it may raise or lower what the plugin asked for).
     */
    interface Limits {
        /** CPU time one call may use on the plugin's workers, in ms, when neither override nor manifest gives one. */
        @WithDefault("0")
        long defaultCpuMs();

        /** Memory one call may allocate on the plugin's workers, in MiB, when neither override nor manifest gives one. */
        @WithDefault("0")
        long defaultAllocMb();

        /** Operator overrides per plugin id: {@code apex.plugins.limits.per-plugin."<id>".alloc-mb=64}. */
        Map<String, PluginLimits> perPlugin();

        /** How often the watchdog samples the CPU time and allocations of running calls. */
        @WithDefault("10ms")
        Duration sampleInterval();

        /**
         * How long a worker that was interrupted (budget breach or timeout) may keep running plugin code before it
         * is stopped by force (see {@link #stopRunawayThreads()}).
         */
        @WithDefault("200ms")
        Duration runawayGrace();

        /**
         * Stop a worker that ignores interruption with {@code Thread.stop} once the grace has passed, so a plugin in an
         * endless loop or allocation bomb cannot burn CPU or fill the heap for ever. This is the JVM's only way to end
         * such a thread in process; it may leave the plugin's own objects inconsistent (the plugin is failing anyway)
         * and works up to Java 19 (later JDKs refuse it: the thread then stays stuck and is replaced, see README).
         * The real remedy for untrusted code is {@code "isolation": "process"}.
         */
        @WithDefault("true")
        boolean stopRunawayThreads();
    }

    /** One plugin's budget overrides; absent keys fall back to the manifest, then to the host default. */
    interface PluginLimits {
        /** CPU time per call in ms. */
        Optional<Long> cpuMs();

        /** Allocated memory per call in MiB. */
        Optional<Long> allocMb();
    }

    /**
     * Circuit breaker per plugin: after {@link #failures()} faults (timeouts, budget breaches, failures of plugin
     * code; not caller errors such as unknown actions or invalid parameters) within {@link #window()}, the plugin
     * goes to FAILED and is restarted by {@link Recovery} with exponential backoff.
     */
    interface Breaker {
        /** Use the breaker at all. */
        @WithDefault("true")
        boolean enabled();

        /** Faults within the window that open the breaker. */
        @WithDefault("5")
        int failures();

        /** The sliding window in which faults are counted. */
        @WithDefault("1m")
        Duration window();
    }

    /** Retry policy for {@code PluginTransientException}s raised by non-streaming actions (streams are not retried). */
    interface TransientRetry {
        /** Attempts in all (1 = no retry); the last failure is what the caller sees and what counts as a fault. */
        @WithDefault("3")
        int attempts();

        /** First pause between attempts; doubles each time up to {@link #maxBackoff()}. */
        @WithDefault("50ms")
        Duration backoff();

        /** Longest pause between attempts. */
        @WithDefault("1s")
        Duration maxBackoff();
    }

    /** Plugin signatures ({@code manifest.sig}, Ed25519) and who may sign. */
    interface Security {
        /**
         * Public keys trusted to sign plugins, comma separated: each the path of a key file or the key itself,
         * base64 X.509 SubjectPublicKeyInfo (Ed25519) as written by {@code PluginSigner keygen}.
         */
        Optional<List<String>> trustedKeys();

        /**
         * {@code required}: unsigned plugins are refused; {@code optional}: they load with a warning. A signature
         * that does not verify against a trusted key is refused in both modes. Production sets {@code required}.
         */
        @WithDefault("optional")
        io.apexagent.host.security.SignatureMode signatures();

        /**
         * The operator's policy, by plugin id ({@code apex.security.policy."<id>".deny=...}): it can only
         * narrow what the plugin's manifest declares, never add to it.
         */
        Map<String, PluginPolicy> policy();
    }

    /** What the operator takes away from one plugin's declared grant. */
    interface PluginPolicy {
        /** Permissions (manifest names, e.g. {@code network_access}) removed from the grant, comma separated. */
        Optional<List<String>> deny();

        /**
         * Sub-directories of the plugin's data directory that its file calls may reach, comma separated
         * (relative paths); unset: the whole data directory.
         */
        Optional<List<String>> allowedPaths();

        /**
         * Hosts its {@code context.http()} requests may reach, comma separated: names, IP literals or
         * {@code *.example.com}, each with an optional {@code :port}; unset: every host. When set, the plugin's
         * own code may not open connections (the load-time scan refuses socket and HTTP-client APIs).
         */
        Optional<List<String>> allowedHosts();

        /**
         * Whether its {@code context.http()} requests may reach internal addresses (loopback, private,
         * link-local, unique-local) of hosts its {@code allowed-hosts} does not name exactly; unset: the host's
         * {@code apex.plugins.http.allow-internal-addresses}.
         */
        Optional<Boolean> internalAddresses();
    }
}
