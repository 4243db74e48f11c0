"""Every user-facing string (UI and exported reports), in English and Simplified Chinese.

Keys are shared; a test checks both tables have exactly the same keys and placeholders.
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "# ⚔️ Arena: which model answers better?",
        "intro": "Ask anything. Two anonymous models answer side by side; vote for the better one "
        "and their names are revealed. Your votes build the leaderboard.",
        "language": "Language",
        "tab_arena": "⚔️ Arena (anonymous)",
        "tab_side_by_side": "👀 Side-by-side (named)",
        "tab_direct": "💬 Direct chat",
        "tab_leaderboard": "🏆 Leaderboard",
        "model_a": "Model A",
        "model_b": "Model B",
        "model": "Model",
        "choose_model_a": "Model A",
        "choose_model_b": "Model B",
        "choose_model": "Model",
        "prompt_label": "Your prompt",
        "prompt_placeholder": "Type a prompt and press Enter",
        "send": "Send",
        "a_better": "👈 A is better",
        "b_better": "👉 B is better",
        "tie": "🤝 Tie",
        "both_bad": "👎 Both are bad",
        "regenerate": "🔄 Regenerate",
        "clear": "🗑️ Clear",
        "new_round": "🎲 New round",
        "status_ready": "Type a prompt to start a battle.",
        "status_streaming": "Both models are answering…",
        "status_vote": "Both answers are complete: vote, or continue the conversation.",
        "status_turn_limit": "Turn limit reached ({limit}): please vote.",
        "status_locked": "This battle is over. Press “New round” for a fresh battle.",
        "status_cleared": "Battle abandoned (it will not be rated). Type a prompt to start again.",
        "side_failed": "⚠️ Model {side} failed: {error}. This battle is void; no vote can count. "
        "Press “New round”.",
        "side_stopped": "(stopped because the other model failed)",
        "warning_identity_disclosed": "⚠️ A model revealed its identity ({evidence}). "
        "Your vote on this battle will not count.",
        "warning_probe": "⚠️ Your prompt asks a model who it is ({evidence}). "
        "Votes on such battles do not count.",
        "revealed": "**Model A:** {model_a}   |   **Model B:** {model_b}",
        "receipt_counted": "✅ Receipt: your vote “{verdict}” counts. Battle {battle}.",
        "receipt_not_counted": "📝 Receipt: your vote “{verdict}” is recorded but not counted: "
        "{reason}. Battle {battle}.",
        "receipt_refused": "⛔ Receipt: vote refused: {reason}. Battle {battle}.",
        "reason_identity_disclosed": "a model revealed its identity",
        "reason_probe": "the prompt asked a model who it is",
        "reason_side_failed": "a side failed to answer",
        "reason_named_battle": "side-by-side votes with known names never enter the rankings",
        "reason_already_voted": "this battle was already voted on",
        "reason_battle_not_found": "there is no such battle",
        "reason_not_your_battle": "this battle was not served to you",
        "reason_battle_closed": "this battle is closed",
        "reason_answers_incomplete": "the answers are not complete yet",
        "reason_no_turns": "nothing has been asked yet",
        "reason_not_votable": "there is nothing to vote on",
        "error_prompt_empty": "Please type a prompt first.",
        "error_prompt_too_long": "Your prompt has {length} characters; the limit is {limit}.",
        "error_choose_models": "Choose two different models.",
        "error_choose_model": "Choose a model.",
        "error_generic": "Something went wrong: {message}",
        "leaderboard_intro": "Live TrueSkill ratings, updated with every counted vote. "
        "Ranked by the conservative rating μ − 3σ.",
        "refresh": "🔄 Refresh",
        "col_rank": "Rank",
        "col_model": "Model",
        "col_organisation": "Organisation",
        "col_conservative": "μ − 3σ",
        "col_mu": "μ",
        "col_sigma": "σ",
        "col_votes": "Votes",
        "col_win_rate": "Win rate",
        "no_votes_yet": "No counted votes yet.",
        "side_by_side_intro": "Pick two models by name. These votes are stored but never "
        "enter the rankings.",
        "md_title": "Leaderboard snapshot {id}",
        "md_summary": "{votes} counted anonymous votes from {first} to {last}. Ratings on the "
        "Elo scale (Bradley–Terry, mean 1000), 95% confidence intervals from {resamples} "
        "bootstrap resamples; rank (UB) = 1 + models whose lower bound is above this "
        "model's upper bound.",
        "md_category": "Category",
        "md_col_rank": "Rank (UB)",
        "md_col_model": "Model",
        "md_col_rating": "Rating",
        "md_col_ci": "95% CI",
        "md_col_votes": "Votes",
        "md_col_organisation": "Organisation",
        "md_col_licence": "Licence",
        "md_provisional": "provisional",
        "md_retired": "retired",
        "md_verify": "Vote set SHA-256: `{sha}`. Code: `{code}`. Verify with "
        "`python -m arena snapshot verify`.",
        "direct_intro": "Chat with one model you choose.",
    },
    "zh": {
        "title": "# ⚔️ 模型竞技场：哪个模型回答得更好？",
        "intro": "随便问。两个匿名模型并排作答；投票选出更好的一方后，模型名称才会揭晓。你的投票将构成排行榜。",
        "language": "语言",
        "tab_arena": "⚔️ 竞技场（匿名）",
        "tab_side_by_side": "👀 并排对比（实名）",
        "tab_direct": "💬 单模型对话",
        "tab_leaderboard": "🏆 排行榜",
        "model_a": "模型 A",
        "model_b": "模型 B",
        "model": "模型",
        "choose_model_a": "模型 A",
        "choose_model_b": "模型 B",
        "choose_model": "模型",
        "prompt_label": "你的问题",
        "prompt_placeholder": "输入问题后按回车",
        "send": "发送",
        "a_better": "👈 A 更好",
        "b_better": "👉 B 更好",
        "tie": "🤝 平局",
        "both_bad": "👎 都不好",
        "regenerate": "🔄 重新生成",
        "clear": "🗑️ 清除",
        "new_round": "🎲 新一轮",
        "status_ready": "输入一个问题，开始一场对战。",
        "status_streaming": "两个模型正在作答……",
        "status_vote": "两个回答都已完成：请投票，或继续对话。",
        "status_turn_limit": "已达到轮数上限（{limit}）：请投票。",
        "status_locked": "本场对战已结束。点击“新一轮”开始新的对战。",
        "status_cleared": "对战已放弃（不计入评分）。输入问题重新开始。",
        "side_failed": "⚠️ 模型 {side} 出错：{error}。本场对战作废，投票不会计入。请点击“新一轮”。",
        "side_stopped": "（因另一方出错而停止）",
        "warning_identity_disclosed": "⚠️ 有模型暴露了身份（{evidence}）。本场的投票不会计入排名。",
        "warning_probe": "⚠️ 你的问题在询问模型的身份（{evidence}）。此类对战的投票不会计入排名。",
        "revealed": "**模型 A：** {model_a}   |   **模型 B：** {model_b}",
        "receipt_counted": "✅ 回执：你的投票“{verdict}”已计入。对战编号 {battle}。",
        "receipt_not_counted": "📝 回执：你的投票“{verdict}”已记录，但不计入排名：{reason}。对战编号 {battle}。",
        "receipt_refused": "⛔ 回执：投票被拒绝：{reason}。对战编号 {battle}。",
        "reason_identity_disclosed": "有模型暴露了身份",
        "reason_probe": "问题在询问模型的身份",
        "reason_side_failed": "有一方未能作答",
        "reason_named_battle": "实名并排对比的投票不计入排名",
        "reason_already_voted": "本场对战已经投过票",
        "reason_battle_not_found": "不存在这场对战",
        "reason_not_your_battle": "这场对战不是分配给你的",
        "reason_battle_closed": "本场对战已关闭",
        "reason_answers_incomplete": "回答尚未完成",
        "reason_no_turns": "还没有提问",
        "reason_not_votable": "没有可投票的内容",
        "error_prompt_empty": "请先输入问题。",
        "error_prompt_too_long": "你的问题有 {length} 个字符，上限是 {limit}。",
        "error_choose_models": "请选择两个不同的模型。",
        "error_choose_model": "请选择一个模型。",
        "error_generic": "出错了：{message}",
        "leaderboard_intro": "实时 TrueSkill 评分，每一张计入的投票都会更新。按保守评分 μ − 3σ 排序。",
        "refresh": "🔄 刷新",
        "col_rank": "排名",
        "col_model": "模型",
        "col_organisation": "机构",
        "col_conservative": "μ − 3σ",
        "col_mu": "μ",
        "col_sigma": "σ",
        "col_votes": "票数",
        "col_win_rate": "胜率",
        "no_votes_yet": "还没有计入的投票。",
        "side_by_side_intro": "按名称选择两个模型。这些投票会被保存，但不会计入排名。",
        "md_title": "排行榜快照 {id}",
        "md_summary": "共 {votes} 张计入的匿名投票（{first} 至 {last}）。评分采用 Elo 刻度"
        "（Bradley–Terry，均值 1000），95% 置信区间来自 {resamples} 次自助重采样；"
        "排名（UB）= 1 + 下界高于本模型上界的模型数。",
        "md_category": "类别",
        "md_col_rank": "排名（UB）",
        "md_col_model": "模型",
        "md_col_rating": "评分",
        "md_col_ci": "95% 置信区间",
        "md_col_votes": "票数",
        "md_col_organisation": "机构",
        "md_col_licence": "许可证",
        "md_provisional": "暂定",
        "md_retired": "已退役",
        "md_verify": "投票集 SHA-256：`{sha}`。代码版本：`{code}`。可用 "
        "`python -m arena snapshot verify` 验证。",
        "direct_intro": "与你选择的一个模型对话。",
    },
}


def translate(language: str, key: str, **values: object) -> str:
    table = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
    return table[key].format(**values)


def language_from_header(accept_language: str | None) -> str:
    """The UI language for a browser's Accept-Language header: Chinese if it prefers zh."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE
