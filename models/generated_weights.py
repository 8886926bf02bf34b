"""Shared by the generators of the shape-faithful models (gen_resnet9.py, gen_mobilenet.py): seeded, NOT trained
weights, and the ONNX export every shipped model uses.

Weights: conv/linear Kaiming-normal (He et al. 2015, fan-in mode, ReLU gain) from a seeded generator, biases zero;
BatchNorm gamma ~ U(0.8, 1.2), beta ~ N(0, 0.05), running mean ~ N(0, 0.05), running var ~ U(0.8, 1.2), so that
BN folding is exercised with non-trivial values. Modules are visited in model.modules() order, so a generator's
draws (and the files) are reproducible.
"""
import torch
import torch.nn as nn


def seed_everything(seed):
    """Deterministic torch on one thread; returns the generator the weights are drawn from."""
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    return torch.Generator().manual_seed(seed)


def init_generated_weights(model, generator):
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                std = (2.0 / fan_in) ** 0.5  # Kaiming (He et al. 2015) for ReLU, fan-in mode
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * std)
                if module.bias is not None:
                    module.bias.zero_()
            elif isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.weight.copy_(0.8 + 0.4 * torch.rand(c, generator=generator))
                module.bias.copy_(0.05 * torch.randn(c, generator=generator))
                module.running_mean.copy_(0.05 * torch.randn(c, generator=generator))
                module.running_var.copy_(0.8 + 0.4 * torch.rand(c, generator=generator))
    model.eval()


def crossbar_weight_count(model):
    """Conv and linear weights (BN and biases excluded)."""
    return sum(p.numel() for n, p in model.named_parameters() if p.dim() > 1)


def export_onnx(model, example, path):
    """ONNX opset 13 with a symbolic batch and the BatchNormalization nodes kept (the importer folds them)."""
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
