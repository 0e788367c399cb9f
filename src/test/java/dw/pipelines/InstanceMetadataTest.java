package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * A command that names no S3 location must not ask the EC2 instance-metadata service for a region
 * (Beam's S3 file system is registered for every run): a fake metadata service on 127.0.0.1 counts
 * the connections the AWS SDK makes to it.
 */
class InstanceMetadataTest {
  private static final String LOCAL_ARGS =
      "--input=data/logs --warehouse=data/w.duckdb --geoipCityDatabase=data/city.mmdb";

  @Test
  void switchedOffOnlyWithoutS3AndWithoutTheUsersChoice() {
    Properties p = new Properties();
    assertTrue(Main.skipInstanceMetadataWithoutS3(LOCAL_ARGS.split(" "), Map.of(), p));
    assertEquals("true", p.getProperty(Main.NO_INSTANCE_METADATA));

    Properties s3 = new Properties();
    String[] withS3 = {"--input=S3://bucket/logs", "--warehouse=data/w.duckdb"};
    assertFalse(Main.skipInstanceMetadataWithoutS3(withS3, Map.of(), s3));
    assertNull(s3.getProperty(Main.NO_INSTANCE_METADATA));

    Properties lake = new Properties();
    String[] lakeOnS3 = {"--input=data/logs", "--lake=s3://bucket/lake"};
    assertFalse(Main.skipInstanceMetadataWithoutS3(lakeOnS3, Map.of(), lake));

    Properties user = new Properties();
    user.setProperty(Main.NO_INSTANCE_METADATA, "false");
    assertFalse(Main.skipInstanceMetadataWithoutS3(LOCAL_ARGS.split(" "), Map.of(), user));
    assertEquals("false", user.getProperty(Main.NO_INSTANCE_METADATA));

    Properties env = new Properties();
    assertFalse(
        Main.skipInstanceMetadataWithoutS3(
            LOCAL_ARGS.split(" "), Map.of("AWS_EC2_METADATA_DISABLED", "false"), env));
    assertNull(env.getProperty(Main.NO_INSTANCE_METADATA));
  }

  @Test
  void theRegionLookupReachesNoMetadataServiceOnceSwitchedOff() throws Exception {
    String endpointProp = "aws.ec2MetadataServiceEndpoint";
    String oldEndpoint = System.getProperty(endpointProp);
    String oldSwitch = System.getProperty(Main.NO_INSTANCE_METADATA);
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!fake.isClosed()) {
                  try (Socket s = fake.accept()) {
                    connections.incrementAndGet(); // counted before the client sees the close
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "fake-instance-metadata");
      acceptor.setDaemon(true);
      acceptor.start();
      System.setProperty(endpointProp, "http://127.0.0.1:" + fake.getLocalPort());

      // as before: no region configured, so the SDK asks the metadata service
      System.clearProperty(Main.NO_INSTANCE_METADATA);
      assertNull(regionOfFreshOptions());
      assertTrue(connections.get() > 0, "the SDK did not ask the (fake) metadata service");

      // a command without S3 switches the lookup off: no connection at all
      Properties props = System.getProperties();
      assertTrue(Main.skipInstanceMetadataWithoutS3(LOCAL_ARGS.split(" "), Map.of(), props));
      int before = connections.get();
      assertNull(regionOfFreshOptions());
      assertEquals(before, connections.get(), "a region lookup reached the metadata service");
    } finally {
      restore(endpointProp, oldEndpoint);
      restore(Main.NO_INSTANCE_METADATA, oldSwitch);
    }
  }

  /** The region Beam's S3 file system would get: AwsOptions' default, as a pipeline run computes it. */
  private static Object regionOfFreshOptions() {
    return PipelineOptionsFactory.create().as(AwsOptions.class).getAwsRegion();
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
