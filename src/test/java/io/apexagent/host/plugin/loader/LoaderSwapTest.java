package io.apexagent.host.plugin.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

class LoaderSwapTest {

    @Test
    void setsTheContextLoaderInsideTheBlockAndRestoresItAfterwardsEvenOnFailure() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader other = new URLClassLoader(new URL[0], null)) {
            try (LoaderSwap swap = LoaderSwap.to(other)) {
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(other);
            }
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);

            assertThatThrownBy(() -> {
                try (LoaderSwap swap = LoaderSwap.to(other)) {
                    throw new IllegalStateException("plugin failed");
                }
            }).hasMessage("plugin failed");
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        }
    }

    @Test
    void nestedSwapsUnwindInOrder() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader a = new URLClassLoader(new URL[0], null);
                URLClassLoader b = new URLClassLoader(new URL[0], null)) {
            try (LoaderSwap outer = LoaderSwap.to(a)) {
                try (LoaderSwap inner = LoaderSwap.to(b)) {
                    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(b);
                }
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(a);
            }
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }
}
