package dw.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A chat incoming-webhook receiver on 127.0.0.1 for tests: records each POST body and its
 * Content-Type, answers {@link #status}, and can be made to hang until released.
 */
public final class WebhookReceiver implements AutoCloseable {
  public static final String PATH = "/hooks/secret-token";

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  public final List<String> bodies = new CopyOnWriteArrayList<>();
  public final List<String> contentTypes = new CopyOnWriteArrayList<>();
  public volatile int status = 200;
  private volatile CountDownLatch hold;

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        PATH,
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
          CountDownLatch h = hold;
          if (h != null) {
            try {
              h.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.setExecutor(pool);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** From now on, requests wait until {@link #release()} (or 30 s) before they are answered. */
  public void hang() {
    hold = new CountDownLatch(1);
  }

  public void release() {
    CountDownLatch h = hold;
    if (h != null) {
      h.countDown();
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    pool.shutdownNow();
  }
}
