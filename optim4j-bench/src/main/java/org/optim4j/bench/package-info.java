/**
 * JMH benchmarks: the figures behind every claim of speed in optim4j.
 *
 * <p>Depends on the library modules; nothing depends on this package. Build the runnable jar with
 * {@code mvn -pl optim4j-bench -am package -DskipTests} and run {@code java -jar
 * optim4j-bench/target/benchmarks.jar [regexp] [JMH options]}.
 */
package org.optim4j.bench;
