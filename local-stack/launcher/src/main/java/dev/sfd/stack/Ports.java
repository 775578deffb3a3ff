package dev.sfd.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers: pick a free port, insist that a chosen one is free, wait for one to listen. */
final class Ports {

    static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** A port that was free a moment ago (the usual race applies; good enough for tests). */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port on " + HOST, e);
        }
    }

    /** {@code port} itself, or a free one when it is 0. */
    static int resolve(int port) {
        return port == 0 ? free() : port;
    }

    /** Fails with a message naming the server and the setting to change when {@code port} is taken. */
    static void requireFree(int port, String what, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new PortInUseException("port " + port + " for the " + what + " on " + HOST
                    + " is already in use: stop whatever listens there or choose another port with " + option);
        }
    }

    /** True when something accepts TCP connections on {@code port}. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
