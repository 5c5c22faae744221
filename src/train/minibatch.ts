import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";
import { Net } from "../api/net.js";
import type { TwiceDifferentiableModel } from "../model.js";

/**
 * The minibatch network of a discrete phase: `batchsize` samples with the layers of `net`, into which
 * contiguous blocks are loaded; null for full-batch training.
 */
export function minibatchNet(net: TwiceDifferentiableModel, batchsize: number | undefined): Net | null {
  if (batchsize === undefined) return null;
  if (!(net instanceof Net)) throw new MLPGFError("OPTION", "train: batchsize needs a Net with finite data");
  if (!Number.isInteger(batchsize) || batchsize < 1 || batchsize > net.nsamples) {
    throw new MLPGFError("OPTION", `train: batchsize must be an integer in 1..${net.nsamples}, got ${show(batchsize)}`);
  }
  if (batchsize === net.nsamples) return null;
  const rows = Array.from({ length: batchsize }, () => new Array<number>(net.din).fill(0));
  const target = Array.from({ length: batchsize }, () => new Array<number>(net.dout).fill(0));
  return new Net({
    layers: net.layers as never,
    input: rows,
    target: net.layers[net.layers.length - 1][1] === "softmax" ? rows.map(() => 0) : target,
  });
}
