package io.apexagent.host.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.apexagent.host.plugin.InvalidActionParametersException;
import io.apexagent.host.plugin.PluginNotFoundException;
import io.apexagent.host.security.credentials.CredentialNotFoundException;
import io.apexagent.host.security.credentials.InvalidCredentialException;
import io.apexagent.host.state.StateNotFoundException;
import io.apexagent.host.state.StateUnavailableException;
import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.PluginConfigurationException;
import io.apexagent.plugin.PluginDependencyException;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginInitializationException;
import io.apexagent.plugin.PluginLifecycleException;
import io.apexagent.plugin.PluginSecurityException;
import io.apexagent.plugin.PluginStateException;
import io.apexagent.plugin.PluginTimeoutException;
import io.apexagent.plugin.PluginTransientException;
import io.apexagent.plugin.PluginUnavailableException;

/** The one place where plugin errors become HTTP statuses (most specific type first). */
public class PluginExceptionMapper {

    private static final Map<Class<? extends PluginException>, Integer> STATUS = Map.ofEntries(
            Map.entry(PluginNotFoundException.class, 404),
            Map.entry(PluginActionNotFoundException.class, 404),
            Map.entry(InvalidActionParametersException.class, 400),
            Map.entry(InvalidCredentialException.class, 400),
            Map.entry(CredentialNotFoundException.class, 404),
            Map.entry(PluginConfigurationException.class, 422),
            Map.entry(PluginDependencyException.class, 409),
            Map.entry(PluginLifecycleException.class, 409),
            Map.entry(PluginStateException.class, 409),
            Map.entry(StateNotFoundException.class, 404),
            Map.entry(StateUnavailableException.class, 503),
            Map.entry(PluginSecurityException.class, 403),
            Map.entry(PluginUnavailableException.class, 503),
            Map.entry(PluginTransientException.class, 503),
            Map.entry(PluginTimeoutException.class, 504),
            Map.entry(PluginInitializationException.class, 500),
            Map.entry(PluginExecutionException.class, 500));

    @ServerExceptionMapper
    public Response map(PluginException e) {
        return Response.status(statusOf(e))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(bodyOf(e))
                .build();
    }

    /** @return the error body of a response (or of a stream's last event) for a plugin error */
    public static ErrorResponse bodyOf(PluginException e) {
        return new ErrorResponse(e.errorType(), e.getMessage(), e.pluginId(), problemsOf(e));
    }

    /** @return the HTTP status of an error, by its closest mapped type */
    public static int statusOf(PluginException e) {
        for (Class<?> c = e.getClass(); c != PluginException.class && c != null; c = c.getSuperclass()) {
            Integer status = STATUS.get(c);
            if (status != null) {
                return status;
            }
        }
        return 500;
    }

    private static List<String> problemsOf(PluginException e) {
        return e instanceof InvalidActionParametersException p ? p.problems() : List.of();
    }
}
