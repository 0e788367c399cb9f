package dw.transforms.push;

import dw.transforms.windows.Timed;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** An hour's aggregate → its rows of {@code push_proxy_hourly_by_country}, with the same pane timing. */
public final class ExplodeCountries
    extends PTransform<PCollection<Timed<PushHour>>, PCollection<Timed<PushCountryHour>>> {
  @Override
  public PCollection<Timed<PushCountryHour>> expand(PCollection<Timed<PushHour>> hours) {
    return hours
        .apply("EmitCountries", ParDo.of(new EmitFn()))
        .setCoder(Timed.Coder.of(PushCountryHour.Coder.of()));
  }

  static final class EmitFn extends DoFn<Timed<PushHour>, Timed<PushCountryHour>> {
    @ProcessElement
    public void process(@Element Timed<PushHour> t, OutputReceiver<Timed<PushCountryHour>> out) {
      for (PushCountryHour c : AggregatePushHours.countries(t.value())) {
        out.output(new Timed<>(c, t.timing(), t.isFinal()));
      }
    }
  }
}
