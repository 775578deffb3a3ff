package dev.sfd.service;

import dev.sfd.contract.Topics;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Puts the topic contract ({@code sfd.topic.prompts=sfd.prompts}, …) into every service's
 * configuration at the lowest priority, so application.properties can say
 * {@code mp.messaging.incoming.prompts.topic=${sfd.topic.prompts}} without repeating a name, and an
 * environment variable ({@code SFD_TOPIC_PROMPTS}) or application.properties still overrides it.
 */
public final class ContractConfigSource implements ConfigSource {

    private static final Map<String, String> VALUES = Topics.configDefaults();

    @Override
    public Set<String> getPropertyNames() {
        return VALUES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return VALUES.get(propertyName);
    }

    @Override
    public String getName() {
        return "sfd-contract";
    }

    @Override
    public int getOrdinal() {
        return 50; // below application.properties (250), system properties (400) and environment (300)
    }
}
