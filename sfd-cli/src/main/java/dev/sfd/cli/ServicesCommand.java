package dev.sfd.cli;

import dev.sfd.cli.services.RunningServices;
import dev.sfd.cli.services.Service;
import dev.sfd.cli.services.ServiceRecords;
import dev.sfd.contract.ServicePorts;
import dev.sfd.stack.ProcessMemory;
import dev.sfd.stack.ServiceProcess;
import dev.sfd.stack.StackEndpoints;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd services up/down/status}: the three services as processes against any Kafka and S3
 * (the local stack's by default), for people who want the system without the demo.
 */
@Command(name = "services", mixinStandardHelpOptions = true,
        description = "Run teacher-service, student-trainer and sampler-service as processes against any Kafka and S3.")
final class ServicesCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the services (from their Quarkus builds) and wait until they answer.")
    int up(@Option(names = "--stack-dir", defaultValue = ".sfd/stack",
                   description = "Take Kafka and S3 endpoints from the local stack recorded here (default ${DEFAULT-VALUE}), "
                           + "unless --bootstrap-servers / --s3-endpoint are given.") Path stackDir,
           @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.") String bootstrap,
           @Option(names = "--s3-endpoint", description = "S3 endpoint URL.") String s3Endpoint,
           @Option(names = "--access-key", description = "S3 access key.") String accessKey,
           @Option(names = "--secret-key", description = "S3 secret key (or env SFD_S3_SECRET_KEY).") String secretKey,
           @Option(names = "--bucket", description = "Checkpoint bucket.") String bucket,
           @Option(names = "--teacher", defaultValue = "mixture2d",
                   description = "Teacher: built-in name or ONNX file (default ${DEFAULT-VALUE}).") String teacher,
           @Option(names = "--set", description = "Any configuration property for every service, key=value "
                   + "(repeatable), e.g. --set sfd.distill.k=4") Map<String, String> extra,
           @Option(names = "--only", split = ",", description = "Start only these services (module names); the records"
                   + " of the others are kept, e.g. to restart one: 'sfd services down --only student-trainer' then"
                   + " 'sfd services up --only student-trainer --detach'.")
           List<String> only,
           @Option(names = "--data-dir", defaultValue = ".sfd/services",
                   description = "Logs and services.properties (default ${DEFAULT-VALUE}).") Path dataDir,
           @Option(names = "--detach", description = "Return once started (the services keep running in the background);"
                   + " stop later with 'sfd services down'. Without it, 'up' stays in the foreground and Ctrl-C stops"
                   + " what it started.")
           boolean detach) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> config = new LinkedHashMap<>();
        if (bootstrap == null || s3Endpoint == null) {
            StackEndpoints e = StackEndpoints.load(stackDir);
            config.putAll(e.serviceConfig());
        }
        putIfSet(config, "kafka.bootstrap.servers", bootstrap);
        putIfSet(config, "sfd.s3.endpoint", s3Endpoint);
        putIfSet(config, "sfd.s3.access-key", accessKey);
        putIfSet(config, "sfd.s3.secret-key", secretKey);
        putIfSet(config, "sfd.s3.bucket", bucket);
        config.put("sfd.teacher.model", teacher);
        if (extra != null) {
            config.putAll(extra);
        }
        List<Service> chosen = only == null ? Service.all() : only.stream().map(Service::byModule).toList();
        Map<Service, ServiceRecords.Entry> recorded = ServiceRecords.loadIfAny(dataDir);
        for (Service s : chosen) {
            ServiceRecords.Entry e = recorded.get(s);
            if (e != null && e.alive()) {
                throw new IllegalStateException(s.module() + " is already running (pid " + e.pid() + ", recorded in "
                        + dataDir.resolve(ServiceRecords.FILE_NAME) + "). To restart it alone: sfd services down --only "
                        + s.module() + " --data-dir " + dataDir + ", then sfd services up --only " + s.module()
                        + " --detach with the same options");
            }
        }
        ServiceRecords.otherTeacher(recorded, chosen, teacher).ifPresent(other -> {
            throw new IllegalStateException("the services still running from " + dataDir + " use teacher '" + other
                    + "', but this start asks for teacher '" + teacher + "': pass --teacher " + other
                    + " (a trainer and a teacher-service of different teachers refuse each other's trajectories)");
        });
        RunningServices services = new RunningServices(dataDir);
        try {
            for (Service s : chosen) {
                ServiceProcess p = services.start(s, s.defaultHttpPort(), config, !detach);
                out.printf("%-16s pid %-8d http://127.0.0.1:%d  log %s%n", s.module(), p.pid(), p.httpPort(),
                        p.log());
            }
            services.save(teacher);
            for (ServiceProcess p : services.all().values()) {
                p.awaitLive(Duration.ofMinutes(2)); // the sampler is ready only once a checkpoint exists
            }
        } catch (Exception e) {
            services.close();
            throw new IllegalStateException(e.getMessage() + "\nlogs:\n" + services.describeLogs(), e);
        }
        out.println("Started. Status: sfd services status; sampler gRPC on 127.0.0.1:" + ServicePorts.SAMPLER_GRPC
                + " once a checkpoint is published.");
        if (detach) {
            out.println("Detached. Stop with: sfd services down --data-dir " + dataDir);
            out.flush();
            return 0;
        }
        out.println("Running. Press Ctrl-C to stop.");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(services::close, "sfd-services-stop"));
        new CountDownLatch(1).await();
        return 0;
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop services started with --detach (all recorded ones, or --only these).")
    int down(@Option(names = "--data-dir", defaultValue = ".sfd/services") Path dataDir,
             @Option(names = "--only", split = ",", description = "Stop only these services (module names); the"
                     + " others keep running and stay recorded.") List<String> only) throws Exception {
        Map<Service, ServiceRecords.Entry> recorded = ServiceRecords.load(dataDir);
        List<Service> chosen = only == null ? Service.all() : only.stream().map(Service::byModule).toList();
        int stopped = 0;
        for (Service s : chosen) {
            ServiceRecords.Entry e = recorded.get(s);
            if (e == null) {
                continue;
            }
            var handle = ProcessHandle.of(e.pid());
            if (e.alive() && handle.isPresent()) {
                handle.get().destroy();
                handle.get().onExit().get();
                stopped++;
            }
        }
        spec.commandLine().getOut().println("Stopped " + stopped + " service(s) recorded in " + dataDir);
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each service's process, readiness and memory.")
    int status(@Option(names = "--data-dir", defaultValue = ".sfd/services") Path dataDir) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<Service, ServiceRecords.Entry> recorded = ServiceRecords.load(dataDir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean allReady = true;
        for (Map.Entry<Service, ServiceRecords.Entry> r : recorded.entrySet()) {
            Service s = r.getKey();
            long id = r.getValue().pid();
            boolean alive = r.getValue().alive();
            String readiness = "-";
            if (alive) {
                try {
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + r.getValue().httpPort() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                    readiness = resp.statusCode() == 200 ? "READY"
                            : "NOT READY: " + resp.body().replaceAll("\\s+", " ");
                } catch (Exception e) {
                    readiness = "no answer: " + e.getMessage();
                }
            }
            allReady &= "READY".equals(readiness);
            out.printf("%-16s %-5s pid %-8d rss %5d MiB  %s%n", s.module(), alive ? "UP" : "DOWN", id,
                    alive ? ProcessMemory.rssMiB(id) : 0, readiness);
        }
        out.flush();
        return allReady ? 0 : 3;
    }

    private static void putIfSet(Map<String, String> config, String key, String value) {
        if (value != null) {
            config.put(key, value);
        }
    }
}
