"""A model folder in the Hugging Face / transformers.js layout: config.json, preprocessor_config.json, onnx/model.onnx."""

import json
from pathlib import Path

from torch import nn

from .cards import write_json
from .export import export_onnx
from .models import ModelSpec


def write_model_folder(spec: ModelSpec, model: nn.Module, wrapper: nn.Module, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = model.config.to_dict()
    config["architectures"] = [type(model).__name__]
    (folder / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    write_json(folder / "preprocessor_config.json", spec.preprocessor)
    for file_name, card in spec.cards.items():
        write_json(folder / file_name, card)
    onnx_path = folder / "onnx" / "model.onnx"
    onnx_path.parent.mkdir(exist_ok=True)
    export_onnx(wrapper, spec.export, str(onnx_path))
    return onnx_path
