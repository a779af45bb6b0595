// sparkcae as a library from spark-shell (Scala 2.12, Spark 3.5): patches from images, fit, save, load,
// transform, and the same as a Pipeline. Run from the repository root after
// `mvn -B -DskipTests -Papp-jar package`:
//
//   source deploy/jvm-options.sh
//   spark-shell --master 'local[2]' --jars spark-jobs/target/sparkcae-app.jar \
//     --driver-java-options "$(sparkcae_jvm_options .)" -i examples/spark-shell/cae-example.scala
//
// SPARKCAE_EXAMPLE_DIR: where it writes (default /tmp/sparkcae-shell-example);
// SPARKCAE_EXAMPLE_IMAGES: a folder of images to use instead of the generated discs.
import io.sparkcae.ml.{CaeEstimator, CaeModel, PatchTransformer}
import org.apache.spark.ml.{Pipeline, PipelineModel, PipelineStage}
import org.apache.spark.ml.param.ParamMap
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions.{avg, col, count, when}

val spark = SparkSession.builder().getOrCreate() // spark-shell's own Spark session
val work = new java.io.File(sys.env.getOrElse("SPARKCAE_EXAMPLE_DIR", "/tmp/sparkcae-shell-example"))

/** Gray 32x32 PNGs: a bright disc of random place and size on dark noise. */
def drawImages(dir: java.io.File, n: Int): String = {
  dir.mkdirs()
  val rnd = new scala.util.Random(42)
  for (i <- 0 until n) {
    val img = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_BYTE_GRAY)
    val (cx, cy, r) = (6 + rnd.nextInt(20), 6 + rnd.nextInt(20), 3 + rnd.nextInt(6))
    for (y <- 0 until 32; x <- 0 until 32) {
      val inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
      img.getRaster.setSample(x, y, 0, if (inside) 190 + rnd.nextInt(60) else rnd.nextInt(50))
    }
    javax.imageio.ImageIO.write(img, "png", new java.io.File(dir, f"disc-$i%03d.png"))
  }
  dir.getAbsolutePath
}

val images = sys.env.getOrElse("SPARKCAE_EXAMPLE_IMAGES", drawImages(new java.io.File(work, "images"), 240))

// 1. images (Spark's binaryFile source) -> patch rows: id, source, split, label, origin, shape, data
val files = spark.read.format("binaryFile").load(images)
val patcher = new PatchTransformer().setPatchSize(Array(16, 16)).setPatchStride(Array(8, 8)).setValFraction(0.2)
val patches = patcher.transform(files).cache()
println(s"patches: ${patches.count()}")

// 2. fit (unset Params keep the defaults of conf/sparkcae-defaults.conf)
val estimator = new CaeEstimator().setEncoderChannels(Array(8, 8)).setLatentDim(8).setEpochs(2)
  .setBatchSize(32).setNormalization("minmax")
val model = estimator.fit(patches)
println(f"fitted: latent size ${model.latentSize}, anomaly threshold ${model.threshold.value}%.5f")

// 3. save (the model directory `sparkcae train` writes: `sparkcae encode --model` reads it), load, transform
val modelDir = new java.io.File(work, "model").toURI.toString
model.write.overwrite().save(modelDir)
val loaded = CaeModel.load(modelDir)
val scored = loaded.transform(patches)
scored.select("id", "split", "latent", "recon_error", "anomaly").show(5, 60)
val summary = scored.agg(count("*"), avg("recon_error"), avg(when(col("anomaly"), 1.0).otherwise(0.0))).first()
println(f"transformed ${summary.getLong(0)} patches: mean recon error ${summary.getDouble(1)}%.5f, " +
  f"${100 * summary.getDouble(2)}%.1f%% flagged")
require(summary.getLong(0) == patches.count(), "one output row per patch")

// 4. one Pipeline, saved and loaded as a PipelineModel
val quick = estimator.copy(new ParamMap()).setEpochs(1)
val pipelineModel = new Pipeline().setStages(Array[PipelineStage](patcher, quick)).fit(files)
val pipelineDir = new java.io.File(work, "pipeline-model").toURI.toString
pipelineModel.write.overwrite().save(pipelineDir)
val anomalous = PipelineModel.load(pipelineDir).transform(files).filter(col("anomaly")).count()
println(s"pipeline model loaded back; anomalous patches: $anomalous")
println("sparkcae shell example done")
