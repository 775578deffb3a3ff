package dev.sfd.cli;

import dev.sfd.cli.services.RunningServices;
import dev.sfd.cli.services.Service;
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
import java.util.Properties;
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

    @Command(name = "up", description = "Start the services (from their Quarkus builds) and wait until they answer.")
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
           @Option(names = "--only", split = ",", description = "Start only these services (module names).")
           List<String> only,
           @Option(names = "--data-dir", defaultValue = ".sfd/services",
                   description = "Logs and services.properties (default ${DEFAULT-VALUE}).") Path dataDir,
           @Option(names = "--detach", description = "Return once started; stop later with 'sfd services down'.")
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
        RunningServices services = new RunningServices(dataDir);
        List<Service> chosen = only == null ? Service.all() : only.stream().map(Service::byModule).toList();
        try {
            for (Service s : chosen) {
                ServiceProcess p = services.start(s, s.defaultHttpPort(), config, !detach);
                out.printf("%-16s pid %-8d http://127.0.0.1:%d  log %s%n", s.module(), p.pid(), p.httpPort(),
                        p.log());
            }
            services.save();
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

    @Command(name = "down", description = "Stop services started with --detach.")
    int down(@Option(names = "--data-dir", defaultValue = ".sfd/services") Path dataDir) throws Exception {
        Properties p = RunningServices.load(dataDir);
        int stopped = 0;
        for (Service s : Service.all()) {
            String pid = p.getProperty(s.module() + ".pid");
            if (pid != null) {
                var handle = ProcessHandle.of(Long.parseLong(pid));
                if (handle.isPresent() && handle.get().isAlive()) {
                    handle.get().destroy();
                    handle.get().onExit().get();
                    stopped++;
                }
            }
        }
        spec.commandLine().getOut().println("Stopped " + stopped + " service(s) recorded in " + dataDir);
        return 0;
    }

    @Command(name = "status", description = "Show each service's process, readiness and memory.")
    int status(@Option(names = "--data-dir", defaultValue = ".sfd/services") Path dataDir) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Properties p = RunningServices.load(dataDir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean allReady = true;
        for (Service s : Service.all()) {
            String pid = p.getProperty(s.module() + ".pid");
            if (pid == null) {
                continue;
            }
            long id = Long.parseLong(pid);
            boolean alive = ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
            String readiness = "-";
            if (alive) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + p.getProperty(s.module() + ".http-port") + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                    readiness = r.statusCode() == 200 ? "READY" : "NOT READY: " + r.body().replaceAll("\\s+", " ");
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
