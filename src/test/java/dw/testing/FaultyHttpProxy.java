package dw.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An HTTP proxy on 127.0.0.1 in front of an S3 server that injects faults into a share of the
 * requests: {@code 503 SlowDown}, {@code 500 InternalError}, slow responses, and connections reset
 * in the middle of a response body (object reads; listings only get a rare 503, which the S3
 * client's own retries absorb). One request per connection (it answers {@code Connection:
 * close}). Which request gets which fault is decided by a counter, so a run is repeatable; {@link
 * #failAlways} makes every request whose path matches fail with 500 (a persistent failure).
 */
public final class FaultyHttpProxy implements AutoCloseable {
  /** The kinds of fault, with how many were injected. */
  public enum Fault {
    SLOW_DOWN_503,
    INTERNAL_500,
    SLOW,
    RESET_MID_BODY,
    PERSISTENT_500
  }

  private final ServerSocket server;
  private final int upstreamPort;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-proxy");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong requests = new AtomicLong();
  private final ConcurrentHashMap<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
  private volatile boolean faults = true;
  private volatile Predicate<String> failAlways = path -> false;

  private FaultyHttpProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
    pool.execute(this::accept);
  }

  /** A proxy to {@code http://127.0.0.1:<upstreamPort>}. */
  public static FaultyHttpProxy start(int upstreamPort) throws IOException {
    return new FaultyHttpProxy(upstreamPort);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Turns the share of faulty requests on or off (on at start). */
  public void faults(boolean on) {
    this.faults = on;
  }

  /** Every request whose path (with query) matches fails with 500 from now on. */
  public void failAlways(Predicate<String> pathMatches) {
    this.failAlways = pathMatches;
  }

  public long injected(Fault f) {
    return injected.get(f).get();
  }

  public long requests() {
    return requests.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        pool.execute(() -> handle(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      long contentLength = 0;
      StringBuilder forwarded = new StringBuilder();
      String[] lines = head.split("\r\n");
      String path = lines[0].split(" ").length > 1 ? lines[0].split(" ")[1] : "";
      forwarded.append(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        String l = lines[i];
        String lower = l.toLowerCase(Locale.ROOT);
        if (lower.startsWith("connection:")) {
          continue;
        }
        if (lower.startsWith("content-length:")) {
          contentLength = Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
        }
        forwarded.append(l).append("\r\n");
      }
      forwarded.append("Connection: close\r\n\r\n");
      byte[] body = in.readNBytes((int) contentLength);
      long n = requests.incrementAndGet();
      OutputStream out = client.getOutputStream();
      if (failAlways.test(path)) {
        injected.get(Fault.PERSISTENT_500).incrementAndGet();
        error(out, 500, "InternalError", "injected persistent failure");
        return;
      }
      boolean listing = path.contains("list-type");
      if (faults && listing && n % 17 == 9) {
        // listings: rarely (the S3 client's own retries must absorb it; our listing step has none)
        injected.get(Fault.SLOW_DOWN_503).incrementAndGet();
        error(out, 503, "SlowDown", "Please reduce your request rate.");
        return;
      }
      if (faults && !listing && n % 7 == 3) {
        injected.get(Fault.SLOW_DOWN_503).incrementAndGet();
        error(out, 503, "SlowDown", "Please reduce your request rate.");
        return;
      }
      if (faults && !listing && n % 11 == 5) {
        injected.get(Fault.INTERNAL_500).incrementAndGet();
        error(out, 500, "InternalError", "We encountered an internal error. Please try again.");
        return;
      }
      byte[] response = forward(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1), body);
      int headerEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) + 4;
      boolean isGetWithBody = lines[0].startsWith("GET ") && !listing && response.length - headerEnd > 64;
      if (faults && isGetWithBody && n % 5 == 1) {
        injected.get(Fault.RESET_MID_BODY).incrementAndGet();
        out.write(response, 0, headerEnd + (response.length - headerEnd) / 2);
        out.flush();
        client.setSoLinger(true, 0); // RST instead of FIN
        return;
      }
      if (faults && n % 13 == 7) {
        injected.get(Fault.SLOW).incrementAndGet();
        out.write(response, 0, headerEnd);
        out.flush();
        Thread.sleep(1500); // a slow server: the body comes late (the fault itself, not a wait)
        out.write(response, headerEnd, response.length - headerEnd);
      } else {
        out.write(response);
      }
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the client went away: nothing to do
    }
  }

  private byte[] forward(byte[] head, byte[] body) throws IOException {
    try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      OutputStream o = up.getOutputStream();
      o.write(head);
      o.write(body);
      o.flush();
      return up.getInputStream().readAllBytes();
    }
  }

  private static void error(OutputStream out, int status, String code, String message) throws IOException {
    byte[] xml =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>FAULTY</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 " + status + " " + code + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + xml.length + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(xml);
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static int indexOf(byte[] a, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= a.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    pool.shutdownNow();
  }
}
