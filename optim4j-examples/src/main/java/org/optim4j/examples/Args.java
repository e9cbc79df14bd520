package org.optim4j.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The examples' few options: {@code --data DIR} (the full MNIST; default the embedded subset), {@code
 * --epochs N}, {@code --train-samples N}, {@code --test-samples N}, {@code --seed N}.
 */
record Args(Path data, int epochs, int trainSamples, int testSamples, long seed) {
  static Args parse(String[] args, int defaultEpochs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: [--data DIR] [--epochs N] [--train-samples N] [--test-samples N]"
            + " [--seed N]; got '" + args[i] + "'");
      }
      m.put(args[i], args[++i]);
    }
    return new Args(m.containsKey("--data") ? Path.of(m.get("--data")) : null,
        Integer.parseInt(m.getOrDefault("--epochs", Integer.toString(defaultEpochs))),
        Integer.parseInt(m.getOrDefault("--train-samples", "0")),
        Integer.parseInt(m.getOrDefault("--test-samples", "0")), Long.parseLong(m.getOrDefault("--seed", "0")));
  }

  SeedTraining.Data mnist() {
    return SeedTraining.mnist(data, trainSamples, testSamples, seed);
  }
}
