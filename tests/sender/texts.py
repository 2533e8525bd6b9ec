"""The texts and token the sender tests share with their subprocess."""

from __future__ import annotations

TOKEN = "123:abc"
TEXTS = {
    "zh": {
        "award.won": "恭喜{name}获得{award}！",
        "award.ruzi_niu": "孺子牛奖",
        "award.approve": "同意",
        "award.return": "退回",
        "note": "通知 {n}",
    },
    "en": {
        "award.won": "Congratulations, {name}: you won the {award}!",
        "award.ruzi_niu": "Ruzi Niu award",
        "award.approve": "Approve",
        "award.return": "Return",
        "note": "Notice {n}",
    },
}
