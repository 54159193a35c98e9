package io.apexagent.host.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable pass-through of the action path benchmark: {@code loops} {@link RawPassThrough}s with a
 * {@link PassThroughLedger} each, in one consumer group. One loop waits for each batch's statements in turn; more
 * than one keep the database and the broker busy at once, as a pipelined implementation would.
 */
final class DurablePassThrough implements AutoCloseable {

    private final List<PassThroughLedger> ledgers = new ArrayList<>();
    private final List<RawPassThrough> loops = new ArrayList<>();

    DurablePassThrough(int loops, String bootstrap, String jdbcUrl, String inTopic, String outTopic)
            throws SQLException {
        for (int i = 1; i <= loops; i++) {
            PassThroughLedger ledger = new PassThroughLedger(jdbcUrl);
            ledgers.add(ledger);
            this.loops.add(new RawPassThrough("bench-durable-" + i, "bench-durable", bootstrap, inTopic, outTopic,
                    ledger));
        }
    }

    /** @return milliseconds of CPU of all loops' threads, as {@link RawPassThrough#cpuMillis()} */
    double cpuMillis() {
        return loops.stream().mapToDouble(RawPassThrough::cpuMillis).sum();
    }

    /** @throws IllegalStateException if a loop failed */
    void check() {
        loops.forEach(RawPassThrough::check);
    }

    @Override
    public void close() throws InterruptedException, SQLException {
        for (RawPassThrough loop : loops) {
            loop.close();
        }
        for (PassThroughLedger ledger : ledgers) {
            ledger.close();
        }
    }
}
