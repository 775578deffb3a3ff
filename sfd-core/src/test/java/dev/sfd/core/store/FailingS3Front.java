package dev.sfd.core.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: a TCP front on loopback for a real S3 server that answers the next {@code n} requests
 * itself with a server error (S3's XML {@code 503 SlowDown}, or a plain-text {@code 500} as s3proxy
 * sends while an upload is in progress), then passes the connection through untouched. Only the
 * first request of a connection (or one after a fault) is looked at: give each step a new client,
 * whose requests then arrive on new connections. Bytes pass unchanged (the Host header too): the client signs for the front's address
 * and the server checks the signature against the Host header it receives, the same one.
 */
final class FailingS3Front implements AutoCloseable {

    enum Fault { SLOW_DOWN_503, PLAIN_TEXT_500, REFUSED_403 }

    private final URI upstream;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger armed = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Fault fault = Fault.SLOW_DOWN_503;
    private volatile boolean closed;

    FailingS3Front(String upstreamEndpoint) throws IOException {
        this.upstream = URI.create(upstreamEndpoint);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::accept, "failing-s3-front");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The next {@code n} requests that open a connection, or follow a fault on one, get {@code f}. */
    void fail(int n, Fault f) {
        fault = f;
        served.set(0);
        requests.set(0);
        armed.set(n);
    }

    /** Faults answered since the last {@link #fail}. */
    int faultsServed() {
        return served.get();
    }

    /** Requests seen (answered or passed on at the start of a connection) since the last {@link #fail}. */
    int requestsSeen() {
        return requests.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "failing-s3-front-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                requests.incrementAndGet();
                if (armed.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    String text = new String(head, StandardCharsets.ISO_8859_1);
                    skipBody(in, text);
                    served.incrementAndGet();
                    out.write(response(fault, text.startsWith("HEAD ")));
                    out.flush();
                    continue; // keep-alive: the client may send its retry on this connection
                }
                pipe(client, head, in, out);
                return;
            }
        } catch (IOException e) {
            // the client or the front went away
        } finally {
            open.remove(client);
        }
    }

    private void pipe(Socket client, byte[] head, InputStream in, OutputStream out) throws IOException {
        try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
            open.add(up);
            OutputStream upOut = up.getOutputStream();
            upOut.write(head);
            upOut.flush();
            Thread back = new Thread(() -> {
                try {
                    up.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // either side closed
                } finally {
                    closeQuietly(client);
                }
            }, "failing-s3-front-back");
            back.setDaemon(true);
            back.start();
            try {
                in.transferTo(upOut);
            } catch (IOException ignored) {
                // either side closed
            }
        } finally {
            closeQuietly(client);
        }
    }

    private static byte[] response(Fault f, boolean headOnly) {
        String body;
        String status;
        String type;
        switch (f) {
            case SLOW_DOWN_503 -> {
                status = "503 Slow Down";
                type = "application/xml";
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                        + "<Message>Please reduce your request rate.</Message><RequestId>1</RequestId></Error>";
            }
            case PLAIN_TEXT_500 -> {
                status = "500 Server Error";
                type = "text/plain";
                body = "Server Error";
            }
            default -> {
                status = "403 Forbidden";
                type = "application/xml";
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>Access Denied</Message><RequestId>1</RequestId></Error>";
            }
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
                + "\r\n\r\n";
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) { // the answer to HEAD has no body
            r.writeBytes(b);
        }
        return r.toByteArray();
    }

    /** The request line and headers up to the blank line, or null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static void skipBody(InputStream in, String head) throws IOException {
        long length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        if (head.toLowerCase(Locale.ROOT).contains("expect: 100-continue")) {
            return; // the client waits for us before sending a body; our error answer ends the request
        }
        in.readNBytes((int) length);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : List.copyOf(open)) {
            closeQuietly(s);
        }
    }
}
