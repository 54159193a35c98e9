package io.apexagent.host.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.apexagent.host.events.HostEventBus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.vertx.core.eventbus.MessageConsumer;

/** Live lifecycle, plugin and error events of this replica as Server-Sent Events. */
@Path("/events")
@RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
@Tag(name = "events")
public class EventStreamResource {

    /**
     * One event of the stream.
     *
     * @param kind     {@code lifecycle}, {@code event} or {@code error}
     * @param pluginId plugin concerned
     * @param payload  the event itself
     */
    public record StreamedEvent(String kind, String pluginId, Object payload) {
    }

    private final HostEventBus bus;

    EventStreamResource(HostEventBus bus) {
        this.bus = bus;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live events (lifecycle, plugin events, errors), optionally of one plugin")
    public Multi<StreamedEvent> events(@QueryParam("pluginId") String pluginId) {
        // A client that cannot keep up misses events rather than making the host buffer them without bound.
        return Multi.createFrom().<StreamedEvent>emitter(emitter -> {
            List<MessageConsumer<?>> consumers = new ArrayList<>();
            consumers.add(bus.onLifecycle(e -> emitter.emit(new StreamedEvent("lifecycle", e.pluginId(), e))));
            consumers.add(bus.onPluginEvent(e -> emitter.emit(new StreamedEvent("event", e.sourcePluginId(), e))));
            consumers.add(bus.onRemotePluginEvent(e -> emitter.emit(new StreamedEvent("event", e.sourcePluginId(), e))));
            consumers.add(bus.onError(e -> emitter.emit(new StreamedEvent("error", e.pluginId(), e))));
            emitter.onTermination(() -> consumers.forEach(MessageConsumer::unregister));
        }, BackPressureStrategy.DROP)
                .select().where(e -> pluginId == null || pluginId.equals(e.pluginId()));
    }
}
