package io.apexagent.host.plugin.runtime;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The task queue of a plugin's workers. Handing a call to a parked worker costs a wake-up (tens of
 * microseconds on busy shared cores), most of a no-op call's round trip. So an idle worker first polls for
 * up to {@code spinNanos} before it parks, and a submission finds it awake; while it polls, submitters do
 * not wake parked workers at all. At most one worker of the pool polls at a time, for a bounded time after
 * each task, so a pool costs at most one core for that time and nothing once calls stop. With a spin of 0
 * it behaves like a plain bounded blocking queue.
 *
 * <p>Made for {@link java.util.concurrent.ThreadPoolExecutor}: {@link #offer(Runnable)} never waits for
 * space (the pool refuses the call as busy instead), and neither do {@link #put} or the timed offer. Tasks
 * sit in a lock-free queue; only parking and waking take a lock. Thread-safe.
 */
final class SpinThenParkQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Tasks in {@link #tasks}: a spinning worker reads it without touching a lock. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Tasks in {@link #tasks} that start a new call (not {@link Admitted}): these are bounded by the capacity. */
    private final AtomicInteger newCalls = new AtomicInteger();
    private final int capacity;
    private final long spinNanos;
    private final AtomicInteger spinning = new AtomicInteger();
    private final AtomicInteger parked = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    /**
     * @param capacity  tasks that may wait for a worker
     * @param spinNanos how long an idle worker polls before parking; 0 to park at once
     */
    SpinThenParkQueue(int capacity, long spinNanos) {
        this.capacity = capacity;
        this.spinNanos = Math.max(0, spinNanos);
    }

    /**
     * A task of a call already running ({@link PluginWorkers#executeAdmitted}): taken even beyond the capacity, and
     * not counted against it, so that running streams' segments never make new calls look busy.
     */
    static final class Admitted implements Runnable {
        private final Runnable task;

        Admitted(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    @Override
    public boolean offer(Runnable task) {
        if (!(task instanceof Admitted) && newCalls.incrementAndGet() > capacity) {
            newCalls.decrementAndGet();
            return false;
        }
        queued.incrementAndGet();
        tasks.offer(task);
        // A spinning worker takes it without a wake-up; if more is left it wakes a parked one (see poll).
        if (spinning.get() == 0) {
            wakeOneParked();
        }
        return true;
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        Runnable task = poll();
        if (task == null && spinNanos > 0 && spinning.compareAndSet(0, 1)) {
            task = takenBySpinning();
        }
        if (task == null) {
            task = parkUntilTask(unit.toNanos(timeout));
        }
        if (task != null) {
            // Submitters wake at most one worker (none while one spins): the taker wakes the next.
            wakeOneParkedIfTasksLeft();
        }
        return task;
    }

    @Override
    public Runnable take() throws InterruptedException {
        return poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** Polls for up to the spin time; the caller holds the single spinning slot. */
    private Runnable takenBySpinning() throws InterruptedException {
        Runnable task;
        try {
            long end = System.nanoTime() + spinNanos;
            while ((task = queued.get() > 0 ? poll() : null) == null && System.nanoTime() - end < 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                Thread.onSpinWait();
            }
        } finally {
            spinning.set(0);
        }
        return task;
    }

    private Runnable parkUntilTask(long nanos) throws InterruptedException {
        Runnable task;
        lock.lockInterruptibly();
        try {
            parked.incrementAndGet();
            try {
                while ((task = poll()) == null) {
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = notEmpty.awaitNanos(nanos);
                }
            } finally {
                parked.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
        return task;
    }

    private void wakeOneParkedIfTasksLeft() {
        if (queued.get() > 0) {
            wakeOneParked();
        }
    }

    private void wakeOneParked() {
        if (parked.get() > 0) {
            lock.lock();
            try {
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public Runnable poll() {
        Runnable task = tasks.poll();
        if (task != null) {
            taken(task);
        }
        return task;
    }

    private void taken(Runnable task) {
        queued.decrementAndGet();
        if (!(task instanceof Admitted)) {
            newCalls.decrementAndGet();
        }
    }

    @Override
    public Runnable peek() {
        return tasks.peek();
    }

    @Override
    public void put(Runnable task) {
        offer(task);
    }

    @Override
    public boolean offer(Runnable task, long timeout, TimeUnit unit) {
        return offer(task);
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, capacity - newCalls.get());
    }

    @Override
    public int drainTo(Collection<? super Runnable> sink) {
        return drainTo(sink, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Runnable> sink, int maxElements) {
        int drained = 0;
        Runnable task;
        while (drained < maxElements && (task = poll()) != null) {
            sink.add(task);
            drained++;
        }
        return drained;
    }

    @Override
    public boolean remove(Object task) {
        if (!tasks.remove(task)) {
            return false;
        }
        taken((Runnable) task);
        return true;
    }

    @Override
    public Iterator<Runnable> iterator() {
        return java.util.Collections.unmodifiableCollection(tasks).iterator(); // removal only through remove()
    }

    @Override
    public int size() {
        return Math.max(0, queued.get());
    }
}
