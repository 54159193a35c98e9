package io.apexagent.plugin;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Convenient base for plugins: keeps the {@link PluginContext}, takes metadata and actions from the
 * manifest, and has no-op initialize and shutdown. Subclasses implement {@code executeAction}.
 */
public abstract class AbstractPlugin implements BasePlugin {

    private volatile PluginContext context;

    @Override
    public Uni<Void> initialize(PluginContext context) {
        this.context = context;
        return onInitialize();
    }

    /** Hook for subclasses, called at the end of {@link #initialize}; {@link #context()} is set. */
    protected Uni<Void> onInitialize() {
        return Uni.createFrom().voidItem();
    }

    /** @return the context given to {@link #initialize} */
    protected PluginContext context() {
        PluginContext c = context;
        if (c == null) {
            throw new IllegalStateException("plugin used before initialize(PluginContext)");
        }
        return c;
    }

    @Override
    public PluginMetadata getMetadata() {
        return context().metadata();
    }

    @Override
    public List<ActionDescriptor> getActions() {
        return context().metadata().actions();
    }

    @Override
    public Uni<Void> shutdown() {
        return Uni.createFrom().voidItem();
    }
}
