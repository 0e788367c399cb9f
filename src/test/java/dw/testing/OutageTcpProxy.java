package dw.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (PostgreSQL) that can take the server away for a
 * while: {@link #outage} drops every open connection and stops listening, so new connections are
 * refused (ECONNREFUSED, as when the server is down), and listens again on the same port when the
 * outage ends. Bytes pass through unchanged otherwise.
 */
public final class OutageTcpProxy implements AutoCloseable {
  private final int port;
  private final String upstreamHost;
  private final int upstreamPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "outage-proxy");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "outage-proxy-timer");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong accepted = new AtomicLong();
  private volatile ServerSocket server;
  private volatile long outageEndsAt;
  private volatile boolean closed;

  private OutageTcpProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = s.getLocalPort();
    listen(s);
  }

  /** A proxy to {@code upstreamHost:upstreamPort}, listening on a free port of 127.0.0.1. */
  public static OutageTcpProxy start(String upstreamHost, int upstreamPort) throws IOException {
    return new OutageTcpProxy(upstreamHost, upstreamPort);
  }

  public int port() {
    return port;
  }

  /** Connections accepted so far (none during an outage). */
  public long accepted() {
    return accepted.get();
  }

  /** True while an outage lasts. */
  public boolean down() {
    return System.currentTimeMillis() < outageEndsAt;
  }

  /**
   * Starts an outage of {@code length}: open connections are reset, new ones refused; afterwards
   * the proxy listens again on the same port.
   */
  public synchronized void outage(Duration length) throws IOException {
    outageEndsAt = System.currentTimeMillis() + length.toMillis();
    server.close();
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0); // RST: the server vanished
        s.close();
      } catch (IOException gone) {
        // already closed
      }
    }
    timer.schedule(this::recover, length.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void recover() {
    if (closed) {
      return;
    }
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      listen(s);
    } catch (IOException e) {
      throw new IllegalStateException("could not listen on port " + port + " again", e);
    }
  }

  private void listen(ServerSocket s) {
    server = s;
    pool.execute(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          accepted.incrementAndGet();
          pool.execute(() -> relay(client));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  private void relay(Socket client) {
    open.add(client);
    try {
      Socket up = new Socket(upstreamHost, upstreamPort);
      open.add(up);
      up.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      pool.execute(() -> pump(up, client));
      pump(client, up);
    } catch (IOException e) {
      open.remove(client);
      try {
        client.close();
      } catch (IOException ignored) {
        // the upstream is not there
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // reset or closed
    } finally {
      open.remove(from);
      open.remove(to);
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing both ends
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    timer.shutdownNow();
    pool.shutdownNow();
  }
}
