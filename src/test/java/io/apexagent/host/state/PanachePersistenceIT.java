package io.apexagent.host.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** A row written through Hibernate Reactive Panache survives into a brand-new session. */
@QuarkusTest
class PanachePersistenceIT {

    @Test
    void rowWrittenInOneSessionIsReadInAnother() throws Throwable {
        String id = "smoke-" + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            PluginDesiredStateEntity row = new PluginDesiredStateEntity();
            row.pluginId = id;
            row.enabled = true;
            row.paused = true;
            row.pinnedVersion = "1.2.3";
            row.updatedBy = "smoke-test";
            row.updatedAt = now;
            return row.persist();
        }));

        PluginDesiredStateEntity read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> PluginDesiredStateEntity.<PluginDesiredStateEntity>findById(id)));

        assertThat(read).isNotNull();
        assertThat(read.enabled).isTrue();
        assertThat(read.paused).isTrue();
        assertThat(read.pinnedVersion).isEqualTo("1.2.3");
        assertThat(read.updatedAt.toInstant()).isEqualTo(now.toInstant());
        assertThat(read.version).isZero();
    }
}
