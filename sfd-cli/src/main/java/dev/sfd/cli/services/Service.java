package dev.sfd.cli.services;

import dev.sfd.contract.ServicePorts;
import java.util.List;

/** The project's three services: module name and default HTTP port. */
public enum Service {
    TEACHER("teacher-service", ServicePorts.TEACHER_HTTP),
    TRAINER("student-trainer", ServicePorts.TRAINER_HTTP),
    SAMPLER("sampler-service", ServicePorts.SAMPLER_HTTP);

    private final String module;
    private final int defaultHttpPort;

    Service(String module, int defaultHttpPort) {
        this.module = module;
        this.defaultHttpPort = defaultHttpPort;
    }

    public String module() {
        return module;
    }

    public int defaultHttpPort() {
        return defaultHttpPort;
    }

    public static List<Service> all() {
        return List.of(values());
    }

    public static Service byModule(String module) {
        for (Service s : values()) {
            if (s.module.equals(module)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service '" + module + "'; known: teacher-service, "
                + "student-trainer, sampler-service");
    }
}
