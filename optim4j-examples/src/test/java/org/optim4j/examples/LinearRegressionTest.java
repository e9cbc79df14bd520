package org.optim4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/** The seed's hand-written gradient descent against real PyTorch's run (fixtures/engine/linreg.json). */
class LinearRegressionTest {

  @ParameterizedTest
  @ValueSource(strings = {"float32", "float64"})
  void matchesPyTorchAtEveryRecordedEpoch(String dtype) {
    Fixtures f = Fixtures.load("engine/linreg.json");
    String c = "linreg_manual_" + dtype;
    @SuppressWarnings("unchecked")
    List<Integer> record = (List<Integer>) f.config(c).get("record_epochs");
    List<Double> losses = new ArrayList<>();
    List<Double> params = new ArrayList<>();
    double[] finalParams = LinearRegression.train(dtype.equals("float32") ? DType.FLOAT32 : DType.FLOAT64,
        (Integer) f.config(c).get("epochs"), (Double) f.config(c).get("lr"), (epoch, loss, p) -> {
          if (record.contains(epoch)) {
            losses.add(loss);
            for (double v : p.toDoubleArray()) {
              params.add(v);
            }
          }
        }).toDoubleArray();
    Tolerance.assertClose(c + " losses", losses.stream().mapToDouble(Double::doubleValue).toArray(),
        f.tensor(c, "losses"));
    Tolerance.assertClose(c + " params", params.stream().mapToDouble(Double::doubleValue).toArray(),
        f.tensor(c, "params_at"));
    FixtureTensor expected = f.tensor(c, "params_final");
    Tolerance.assertClose(c + " final params", finalParams, expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"float32"})
  void endsAtTheSeedsPrintedNumbers(String dtype) {
    double[] last = new double[1];
    double[] p = LinearRegression.train(DType.FLOAT32, 5000, 1e-2, (epoch, loss, params) -> last[0] = loss)
        .toDoubleArray();
    assertEquals(2.927647, last[0], 1e-5);
    assertEquals(5.3671, p[0], 1e-3);
    assertEquals(-17.3012, p[1], 1e-3);
  }
}
