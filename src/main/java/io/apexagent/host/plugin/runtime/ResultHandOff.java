package io.apexagent.host.plugin.runtime;

import java.util.concurrent.Executor;

import io.apexagent.host.plugin.loader.LoaderSwap;

/**
 * Where the result of one action call continues. A plugin that answers at once emits its result on its
 * worker, inside the plugin's code: the host's part (checks, the caller's continuation) then runs on that
 * worker right after the plugin's code returned, under the host's context class loader and outside the
 * call's budget ({@link CallMeter#runAfterSegment}), which saves a hand-over to another thread. Results
 * that arrive anywhere else (a thread of the plugin's own, a timer) go to a host thread, as do all results
 * when continuing on the worker is off. Thread-safe.
 */
final class ResultHandOff implements Executor {

    private final CallMeter meter;
    private final Executor hostThreads;
    private final ClassLoader hostLoader;
    private final boolean onWorker;

    ResultHandOff(CallMeter meter, Executor hostThreads, ClassLoader hostLoader, boolean onWorker) {
        this.meter = meter;
        this.hostThreads = hostThreads;
        this.hostLoader = hostLoader;
        this.onWorker = onWorker;
    }

    @Override
    public void execute(Runnable continuation) {
        if (!onWorker || !meter.runAfterSegment(() -> runAsHost(continuation))) {
            hostThreads.execute(continuation);
        }
    }

    private void runAsHost(Runnable continuation) {
        try (LoaderSwap host = LoaderSwap.to(hostLoader)) {
            continuation.run();
        }
    }
}
