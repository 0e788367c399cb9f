package dw.pipelines;

import dw.geo.GeoRecords;
import dw.geo.MmdbWriter;
import dw.pipelines.generate.GeneratorNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small GeoLite2-City-format database of the generator's networks (real country codes), written
 * with the project's own MMDB writer, so the demo and the tests need no MaxMind download.
 */
public final class DemoGeoDatabase {
  public static final String DATABASE_TYPE = "GeoLite2-City";

  private DemoGeoDatabase() {}

  public static Path write(Path file) throws IOException {
    MmdbWriter w =
        new MmdbWriter(DATABASE_TYPE, 6, 28)
            .description("en", "dw-pipelines demo database built from the log generator's networks")
            .languages("en");
    for (GeneratorNetworks.Network n : GeneratorNetworks.all()) {
      w.insert(
          n.cidr(),
          GeoRecords.cityRecord(
              n.countryIso(), n.countryName(), n.subdivisionIso(), n.subdivisionName(), n.city()));
    }
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    w.write(file);
    return file;
  }
}
