package io.apexagent.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeIdentityTest {

    @Test
    void aNodeIdLongerThanItsDatabaseColumnsIsRefusedNamingTheSetting() {
        String longest = "n".repeat(NodeIdentity.MAX_CHARS);
        assertThat(NodeIdentity.checked(longest)).isEqualTo(longest);
        assertThatThrownBy(() -> NodeIdentity.checked(longest + "n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apex.node-id (APEX_NODE_ID) is 257 characters long; at most 256 fit");
    }
}
