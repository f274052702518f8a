#!/usr/bin/env python3
"""A starloop command trainer: fine-tunes a LoRA adapter on a round's chat dataset with TRL.

Config (train.type: command), run from the directory starloop runs in:

    command: "python3 examples/trainers/trl_sft.py --data {dataset} --base {base} --start {start} --round {round} --out {outDir}"

It reads the round's dataset.jsonl ({"messages": [...]} per line), trains a LoRA adapter on
{base} (or, when {start} is an adapter directory from an earlier round and
train.restartFromBase is false, goes on training that adapter), saves it into {outDir} and
prints the command-trainer contract's last stdout line:

    {"model": "<--name>", "checkpoint": "<absolute path of {outDir}>"}

With train.serve (vllm-lora or sglang-lora) starloop loads that directory into the policy's
servers as "<name>-r<round>". Progress goes to stderr; stdout holds only the result line.

--dry-run checks the arguments and the dataset and prints the line it would print, without
importing torch, transformers, peft or trl (so it runs anywhere python3 does).
Needs, for a real run: pip install torch transformers peft trl datasets
"""

import argparse
import json
import os
import sys


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Train a LoRA adapter on a starloop round's dataset with TRL's SFTTrainer.")
    parser.add_argument("--data", required=True, help="the round's chat dataset ({dataset})")
    parser.add_argument("--base", required=True, help="the base model: a Hugging Face id or a local directory ({base})")
    parser.add_argument("--start", required=True, help="what training starts from ({start}): the base, or an earlier round's adapter directory")
    parser.add_argument("--round", required=True, type=int, help="the round the adapter becomes ({round}, 1 for the first fine-tune)")
    parser.add_argument("--out", required=True, help="where the adapter is written ({outDir})")
    parser.add_argument("--name", default="star", help="the model name printed for starloop (train.serve names the adapter <name>-r<round> from it)")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--grad-accum", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=2048, help="tokens per example; longer ones are truncated")
    parser.add_argument("--lora-r", type=int, default=16, help="LoRA rank (vLLM serves ranks up to --max-lora-rank, 16 by default)")
    parser.add_argument("--lora-alpha", type=int, default=32)
    parser.add_argument("--lora-dropout", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dry-run", action="store_true", help="validate the inputs and print the result line without training")
    return parser.parse_args(argv)


def fail(message):
    print(f"trl_sft.py: {message}", file=sys.stderr)
    sys.exit(2)


ROLES = {"system", "user", "assistant"}


def count_examples(path):
    """The dataset's example count; every line must be a chat example that ends with an assistant turn."""
    if not os.path.isfile(path):
        fail(f"--data {path}: no such file")
    examples = 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                fail(f"{where}: not JSON ({error.msg})")
            messages = record.get("messages") if isinstance(record, dict) else None
            if not isinstance(messages, list) or len(messages) < 2:
                fail(f"{where}: expected {{\"messages\": [...]}} with at least two turns")
            for turn in messages:
                if not isinstance(turn, dict) or turn.get("role") not in ROLES or not isinstance(turn.get("content"), str):
                    fail(f"{where}: each message needs a role (system, user, assistant) and string content")
            if messages[-1]["role"] != "assistant":
                fail(f"{where}: the last message must be the assistant's answer")
            examples += 1
    if examples == 0:
        fail(f"--data {path}: no examples")
    return examples


def is_adapter(path):
    return os.path.isfile(os.path.join(path, "adapter_config.json"))


def check(args):
    """Everything that can be checked without a GPU; returns the example count."""
    if args.round < 1:
        fail(f"--round {args.round}: rounds of a fine-tune start at 1")
    if not args.base.strip():
        fail("--base is empty")
    if args.start != args.base and os.path.isdir(args.start) and not is_adapter(args.start) and not os.path.isfile(os.path.join(args.start, "config.json")):
        fail(f"--start {args.start}: a directory with neither adapter_config.json (a LoRA adapter) nor config.json (a model)")
    if not os.path.isdir(args.out):
        fail(f"--out {args.out}: no such directory (starloop creates it before the command runs)")
    if not os.access(args.out, os.W_OK):
        fail(f"--out {args.out}: not writable")
    for name in ("epochs", "learning_rate", "batch_size", "grad_accum", "max_length", "lora_r", "lora_alpha"):
        if getattr(args, name) <= 0:
            fail(f"--{name.replace('_', '-')} must be positive")
    return count_examples(args.data)


def result_line(args):
    return json.dumps({"model": args.name, "checkpoint": os.path.abspath(args.out)})


def train(args, examples):
    # Heavy imports only here, so --dry-run needs none of them.
    import torch
    from datasets import load_dataset
    from peft import LoraConfig, PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    print(f"round {args.round}: LoRA on {args.base} from {args.start}, {examples} examples", file=sys.stderr)
    dtype = torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(args.base)
    model = AutoModelForCausalLM.from_pretrained(args.base, torch_dtype=dtype)
    peft_config = None
    if is_adapter(args.start):
        # restartFromBase: false hands over the previous round's adapter: training goes on from it.
        model = PeftModel.from_pretrained(model, args.start, is_trainable=True)
    else:
        peft_config = LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout, target_modules="all-linear", task_type="CAUSAL_LM")
    dataset = load_dataset("json", data_files=args.data, split="train")
    config = SFTConfig(
        output_dir=os.path.join(args.out, "checkpoints"),
        num_train_epochs=args.epochs,
        learning_rate=args.learning_rate,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        max_length=args.max_length,
        bf16=dtype == torch.bfloat16,
        logging_steps=10,
        save_strategy="no",
        report_to=[],
        seed=args.seed,
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer, peft_config=peft_config)
    trainer.train()
    # The adapter (adapter_config.json + adapter_model.safetensors) at the top of {outDir}, where the servers load it.
    trainer.model.save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)


def main(argv):
    args = parse_args(argv)
    examples = check(args)
    if args.dry_run:
        print(f"dry run: {examples} examples, LoRA r={args.lora_r} on {args.base} from {args.start}, round {args.round} → {os.path.abspath(args.out)}", file=sys.stderr)
    else:
        train(args, examples)
    # The contract: the last stdout line says what was trained.
    print(result_line(args), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
