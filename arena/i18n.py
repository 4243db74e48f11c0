"""Every user-facing string (UI and exported reports), in English and Simplified Chinese.

Keys are shared; a test checks both tables have exactly the same keys and placeholders.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

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
        "vote_wait_in": "Read both answers: you can vote in {seconds} s.",
        "vote_wait_proof": "Your browser is still checking that it is not a robot: the vote buttons open in a moment.",
        "status_locked": "This battle is over. Press “New round” for a fresh battle.",
        "status_cleared": "Battle abandoned (it will not be rated). Type a prompt to start again.",
        "side_failed": "⚠️ Model {side} failed: {error}. This battle is void; no vote can count. "
        "Press “New round”.",
        "sides_failed": "⚠️ Both models failed (A: {error_a}; B: {error_b}). This battle is void; "
        "no vote can count. Press “New round”.",
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
        "reason_battles_per_minute_voter": "you started too many battles this minute",
        "reason_battles_per_minute_ip": "too many battles were started from your network this minute",
        "reason_new_voters_per_minute_ip": "too many new voters joined from your network this "
        "minute: wait a minute, then accept again",
        "reason_terms_not_accepted": "please read and accept the terms above before your first "
        "battle",
        "error_terms_changed": "The terms changed since this page loaded: reload the page.",
        "terms_text": "**Before your first battle.** The prompts you send and your votes are "
        "stored and may be published as open data, with your voter id replaced by a pseudonym "
        "and never your IP address, to rank the models and for research. Do not enter personal, "
        "confidential or illegal content. The answers come from AI models and may be wrong or "
        "offensive.",
        "terms_accept": "I agree",
        "terms_accepted": "✅ Terms accepted. Type a prompt to start a battle.",
        "reason_votes_per_day_voter": "you reached today's limit of counted votes",
        "reason_votes_per_day_ip": "your network reached today's limit of counted votes",
        "reason_vote_too_soon": "the vote came too soon after the answers finished",
        "reason_challenge_malformed": "the browser check (proof of work) was missing",
        "reason_challenge_bad_signature": "the browser check (proof of work) was forged",
        "reason_challenge_expired": "the browser check (proof of work) expired",
        "reason_challenge_not_yet_valid": "the browser check (proof of work) is not valid yet",
        "reason_challenge_wrong_voter": "the browser check (proof of work) belongs to someone else",
        "reason_challenge_replayed": "the browser check (proof of work) was already used",
        "reason_solution_wrong": "the browser check (proof of work) was not solved",
        "reason_duplicate_prompt": "you already voted on this prompt",
        "reason_frequent_prompt": "this prompt has been voted on too often",
        "error_prompt_empty": "Please type a prompt first.",
        "error_prompt_too_long": "Your prompt has {length} characters; the limit is {limit}.",
        "error_choose_models": "Choose two different models.",
        "error_choose_model": "Choose a model.",
        "error_prompt_invalid": "The prompt must be text.",
        "error_text_invalid": "Your prompt contains characters that are not text; please retype it.",
        "error_session_invalid": "This page's session is not valid: please reload the page.",
        "error_voter_invalid": "This browser has no valid voter cookie: please reload the page.",
        "error_unknown_verdict": "That is not one of the vote buttons.",
        "error_unexpected": "Something went wrong on our side; it has been logged. Please try again or start a new round.",
        "error_storage": "The database cannot serve this right now; please try again in a moment.",
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
        "official_intro": "## Official leaderboard\nBradley–Terry ratings (Elo scale) with 95% "
        "confidence intervals, from the latest snapshot. Rank (UB) = 1 + models whose lower "
        "bound is above this model's upper bound; the rank range runs from there to the worst "
        "place the intervals allow (models not surely below it). A new tier starts where two "
        "neighbours are told apart with 95% confidence for the whole board at once.",
        "no_snapshot_yet": "No official leaderboard yet. It is published as a snapshot of the "
        "counted votes, with confidence intervals that anyone can check. {when} Until the first "
        "one, the live board below shows the ratings as the votes come in.",
        "snapshot_when_both": "The server publishes the first one by itself when the counted votes "
        "reach {votes}, or {hours} hours after the first of them, whichever comes first.",
        "snapshot_when_votes": "The server publishes the first one by itself when the counted "
        "votes reach {votes}.",
        "snapshot_when_hours": "The server publishes the first one by itself {hours} hours after "
        "the first counted vote.",
        "snapshot_when_maintainer": "A maintainer publishes it with "
        "`python -m arena snapshot create`.",
        "plot_empty": "Shown once the first snapshot is published.",
        "snapshot_label": "Snapshot",
        "category_label": "Category",
        "snapshot_summary": "**{votes}** votes, {first} – {last} · vote-set SHA-256 `{sha}` · "
        "{intervals} · code `{code}`",
        "scale_mean": "mean 1000",
        "scale_anchored": "{model} fixed at {rating}",
        "intervals_bootstrap": "95% confidence intervals from {resamples} bootstrap resamples",
        "intervals_sandwich": "95% confidence intervals from the sandwich (CLT) estimate",
        "intervals_reweighted": "95% confidence intervals from the sandwich estimate with "
        "inverse-frequency weights",
        "position_summary": "\n\nPosition: the answer shown on the left wins {share:.1f}% of the "
        "points; beyond the models' strengths, {log_odds:+.3f} log-odds (95% CI {lower:+.3f} to "
        "{upper:+.3f}).",
        "col_rank_ub": "Rank (UB)",
        "col_rank_range": "Rank range",
        "col_tier": "Tier",
        "col_rating": "Rating",
        "col_ci": "95% CI",
        "col_licence": "Licence",
        "col_note": "Note",
        "col_disagrees": "BT vs TrueSkill",
        "note_provisional": "provisional",
        "note_retired": "retired",
        "note_disagrees": "⚠️ disagree beyond uncertainty",
        "changes_title": "### What changed since the previous snapshot",
        "col_status": "Status",
        "col_rank_change": "Rank",
        "col_rating_change": "Δ rating",
        "col_significant": "Beyond noise",
        "status_new": "new",
        "status_ranked": "ranked",
        "status_provisional": "provisional",
        "status_missing": "missing",
        "yes": "yes",
        "no": "no",
        "plot_ratings": "Ratings with 95% intervals",
        "axis_rating": "rating",
        "plot_win_rate": "Win rate (row beats column)",
        "plot_battles": "Battle counts",
        "plot_history": "Rating history across snapshots",
        "live_title": "### Live TrueSkill\nUpdated with every counted vote; ranked by μ − 3σ.",
        "category_overall": "Overall",
        "category_chinese": "Chinese",
        "category_english": "English",
        "category_coding": "Coding",
        "category_long_query": "Long query",
        "category_multi_turn": "Multi-turn",
        "category_exclude_ties": "Exclude ties",
        "category_style_controlled": "Style-controlled",
        "category_overall_reweighted": "Overall, pairs weighted equally (LMArena)",
        "tab_maintainers": "🔧 Maintainers",
        "maintainers_intro": "Maintainer actions need the maintainer secret "
        "(ARENA_MAINTAINER_SECRET).",
        "maintainers_disabled": "Maintainer actions are disabled on this server: no "
        "ARENA_MAINTAINER_SECRET is set.",
        "maintainer_secret": "Maintainer secret",
        "create_snapshot": "📸 Create snapshot",
        "maintainer_refused": "⛔ Refused: {message}",
        "snapshot_created": "✅ Snapshot {id} created: {votes} votes, SHA-256 `{sha}`.",
        "run_detection": "🔎 Run detection",
        "show_flags": "📋 Show flags and quarantines",
        "release_voter": "↩️ Release voter",
        "voter_id_label": "Voter id to release",
        "detection_done": "✅ Tested {voters} voters against snapshot {snapshot}: {flags} flags, "
        "{alerts} cohort alerts, {quarantined} newly quarantined.",
        "voter_released": "✅ {voter} released: its votes count again from the next snapshot.",
        "voter_not_quarantined": "⛔ {voter} is not quarantined.",
        "col_kind": "Kind",
        "col_subject": "Subject",
        "col_test": "Test",
        "col_p": "p (adjusted)",
        "col_evidence": "Evidence",
        "col_voter": "Voter",
        "col_reason": "Reason",
        "col_since": "Since",
        "md_title": "Leaderboard snapshot {id}",
        "md_summary": "{votes} counted anonymous votes from {first} to {last}. Ratings on the "
        "Elo scale (Bradley–Terry, {scale}), {intervals}; rank (UB) = 1 + models whose lower "
        "bound is above this model's upper bound.",
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
        "feedback_label": "Feedback",
        "feedback_info": "Optional: what made the better answer better? Sent with an A or B "
        "vote, never used in the ratings.",
        "feedback_more_accurate": "more accurate",
        "feedback_more_helpful": "more helpful",
        "feedback_better_written": "better written",
        "feedback_follows_instructions": "follows the instructions",
        "feedback_safer": "safer",
        "feedback_more_concise": "more concise",
        "receipt_feedback": "Your feedback, stored with the vote: {feedback}.",
        "error_feedback_invalid": "That feedback is not one of the choices.",
        "share": "🔗 Share this battle",
        "share_link": "🔗 Anyone with this link sees the prompts, both answers, the models and "
        "your verdict (nothing about you): [{url}]({url})",
        "error_battle_not_voted": "Only a battle with a stored vote can be shared.",
        "shared_title": "A battle in the Arena",
        "shared_intro": "A voter shared this battle: two models answered the same prompt and the "
        "voter judged their answers.",
        "shared_turn": "Turn {turn}",
        "shared_prompt": "Prompt",
        "shared_verdict": "Verdict: {verdict}",
        "shared_feedback": "Why: {feedback}",
        "shared_not_found": "There is no shared battle at this address.",
        "shared_to_arena": "Vote in the arena yourself",
        "footer": "API: [JSON (OpenAPI)](/api/openapi.json) · [Gradio endpoints](/gradio_api/info)"
        " · Built with Gradio",
        # A model's failure, as the provider adapter reports it (ports.FAILURE_MESSAGES).
        "failure_timeout": "the model did not finish its answer within {seconds} s",
        "failure_idle": "the model stopped sending text for {seconds} s",
        "failure_late": "the model did not answer in time",
        "failure_empty": "the model returned an empty answer",
        "failure_broken_stream": "the connection to the model broke off in the middle of the "
        "answer",
        "failure_unreachable": "the model's service could not be reached",
        "failure_rate_limited": "the model's service is receiving too many requests; try again "
        "later",
        "failure_auth": "the model's service rejected the configured credentials",
        "failure_not_found": "the model's service does not offer the configured model",
        "failure_too_long": "the conversation is too long for this model",
        "failure_refused": "the model's service refused to answer this request",
        "failure_config": "the model is not configured correctly",
        "failure_error": "the model's service returned an error",
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
        "vote_wait_in": "请先阅读两个回答：{seconds} 秒后可以投票。",
        "vote_wait_proof": "浏览器仍在进行人机验证：投票按钮稍后开放。",
        "status_locked": "本场对战已结束。点击“新一轮”开始新的对战。",
        "status_cleared": "对战已放弃（不计入评分）。输入问题重新开始。",
        "side_failed": "⚠️ 模型 {side} 出错：{error}。本场对战作废，投票不会计入。请点击“新一轮”。",
        "sides_failed": "⚠️ 两个模型都出错了（A：{error_a}；B：{error_b}）。本场对战作废，投票不会计入。请点击“新一轮”。",
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
        "reason_battles_per_minute_voter": "你在一分钟内开始了太多对战",
        "reason_battles_per_minute_ip": "你所在网络在一分钟内开始了太多对战",
        "reason_new_voters_per_minute_ip": "一分钟内从你所在网络加入的新投票者太多：请稍等一分钟后再接受",
        "reason_terms_not_accepted": "第一次对战前，请先阅读并接受上方的使用条款",
        "error_terms_changed": "本页面加载后条款已更改：请刷新页面。",
        "terms_text": "**第一次对战前请阅读。** 你发送的问题和你的投票会被保存，并可能作为开放数据公开发布（你的投票者 ID "
        "以化名代替，绝不包含你的 IP 地址），用于模型排名和研究。请勿输入个人、机密或违法的内容。回答由 AI 模型生成，"
        "可能有错误或令人不适。",
        "terms_accept": "我同意",
        "terms_accepted": "✅ 已接受条款。输入一个问题即可开始对战。",
        "reason_votes_per_day_voter": "你今天计入的投票已达上限",
        "reason_votes_per_day_ip": "你所在网络今天计入的投票已达上限",
        "reason_vote_too_soon": "回答完成后投票过快",
        "reason_challenge_malformed": "缺少浏览器校验（工作量证明）",
        "reason_challenge_bad_signature": "浏览器校验（工作量证明）被伪造",
        "reason_challenge_expired": "浏览器校验（工作量证明）已过期",
        "reason_challenge_not_yet_valid": "浏览器校验（工作量证明）尚未生效",
        "reason_challenge_wrong_voter": "浏览器校验（工作量证明）属于其他人",
        "reason_challenge_replayed": "浏览器校验（工作量证明）已被使用过",
        "reason_solution_wrong": "浏览器校验（工作量证明）未通过",
        "reason_duplicate_prompt": "你已经对这个问题投过票",
        "reason_frequent_prompt": "这个问题的投票次数过多",
        "error_prompt_empty": "请先输入问题。",
        "error_prompt_too_long": "你的问题有 {length} 个字符，上限是 {limit}。",
        "error_choose_models": "请选择两个不同的模型。",
        "error_choose_model": "请选择一个模型。",
        "error_prompt_invalid": "问题必须是文字。",
        "error_text_invalid": "你的问题包含无法识别的字符，请重新输入。",
        "error_session_invalid": "本页面的会话无效：请刷新页面。",
        "error_voter_invalid": "此浏览器没有有效的投票者 Cookie：请刷新页面。",
        "error_unknown_verdict": "这不是一个投票按钮。",
        "error_unexpected": "服务器出了问题，已记录。请重试或开始新一轮。",
        "error_storage": "数据库暂时无法处理这个请求，请稍后再试。",
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
        "official_intro": "## 官方排行榜\n来自最新快照的 Bradley–Terry 评分（Elo 刻度）及 95% "
        "置信区间。排名（UB）= 1 + 下界高于本模型上界的模型数；排名范围从该名次延伸到区间所允许的最差名次（即尚未确定排在本模型之后的模型都可能在它前面）。相邻两个模型在整个榜单 95% 的联合置信度下可区分时，开始新的梯队。",
        "no_snapshot_yet": "还没有正式排行榜。正式榜以计入投票的快照形式发布，附带任何人都可核验的置信区间。"
        "{when}在第一个快照发布之前，下方的实时榜会随投票更新评分。",
        "snapshot_when_both": "计入的投票达到 {votes} 张时，或第一张计入的投票之后 {hours} 小时（以先到者为准），"
        "服务器会自动发布第一个快照。",
        "snapshot_when_votes": "计入的投票达到 {votes} 张时，服务器会自动发布第一个快照。",
        "snapshot_when_hours": "第一张计入的投票之后 {hours} 小时，服务器会自动发布第一个快照。",
        "snapshot_when_maintainer": "由维护者运行 `python -m arena snapshot create` 发布。",
        "plot_empty": "第一个快照发布后显示。",
        "snapshot_label": "快照",
        "category_label": "类别",
        "snapshot_summary": "**{votes}** 票，{first} – {last} · 投票集 SHA-256 `{sha}` · "
        "{intervals} · 代码 `{code}`",
        "scale_mean": "均值 1000",
        "scale_anchored": "{model} 固定为 {rating}",
        "intervals_bootstrap": "95% 置信区间来自 {resamples} 次自助重采样",
        "intervals_sandwich": "95% 置信区间来自三明治（中心极限定理）估计",
        "intervals_reweighted": "95% 置信区间来自逆频率加权的三明治估计",
        "position_summary": "\n\n位置：左侧显示的回答得分占 {share:.1f}%；扣除模型实力后为 "
        "{log_odds:+.3f} 对数几率（95% 置信区间 {lower:+.3f} 至 {upper:+.3f}）。",
        "col_rank_ub": "排名（UB）",
        "col_rank_range": "排名范围",
        "col_tier": "梯队",
        "col_rating": "评分",
        "col_ci": "95% 置信区间",
        "col_licence": "许可证",
        "col_note": "备注",
        "col_disagrees": "BT 与 TrueSkill",
        "note_provisional": "暂定",
        "note_retired": "已退役",
        "note_disagrees": "⚠️ 超出不确定性的分歧",
        "changes_title": "### 与上一快照相比的变化",
        "col_status": "状态",
        "col_rank_change": "排名",
        "col_rating_change": "评分变化",
        "col_significant": "超出噪声",
        "status_new": "新上榜",
        "status_ranked": "已排名",
        "status_provisional": "暂定",
        "status_missing": "缺失",
        "yes": "是",
        "no": "否",
        "plot_ratings": "评分及 95% 置信区间",
        "axis_rating": "评分",
        "plot_win_rate": "胜率（行胜列）",
        "plot_battles": "对战次数",
        "plot_history": "各快照的评分变化",
        "live_title": "### 实时 TrueSkill\n每一张计入的投票都会更新；按 μ − 3σ 排序。",
        "category_overall": "总榜",
        "category_chinese": "中文",
        "category_english": "英文",
        "category_coding": "编程",
        "category_long_query": "长问题",
        "category_multi_turn": "多轮对话",
        "category_exclude_ties": "排除平局",
        "category_style_controlled": "风格控制",
        "category_overall_reweighted": "总榜（各模型对等权，LMArena 方法）",
        "tab_maintainers": "🔧 维护",
        "maintainers_intro": "维护操作需要维护者密钥（ARENA_MAINTAINER_SECRET）。",
        "maintainers_disabled": "本服务器未设置 ARENA_MAINTAINER_SECRET，维护操作已禁用。",
        "maintainer_secret": "维护者密钥",
        "create_snapshot": "📸 创建快照",
        "maintainer_refused": "⛔ 已拒绝：{message}",
        "snapshot_created": "✅ 已创建快照 {id}：{votes} 票，SHA-256 `{sha}`。",
        "run_detection": "🔎 运行检测",
        "show_flags": "📋 查看标记与隔离",
        "release_voter": "↩️ 解除隔离",
        "voter_id_label": "要解除隔离的投票者 ID",
        "detection_done": "✅ 已按快照 {snapshot} 检测 {voters} 位投票者：{flags} 个标记，"
        "{alerts} 个群体警报，新隔离 {quarantined} 位。",
        "voter_released": "✅ 已解除 {voter} 的隔离：其投票将从下一个快照起重新计入。",
        "voter_not_quarantined": "⛔ {voter} 未被隔离。",
        "col_kind": "类型",
        "col_subject": "对象",
        "col_test": "检验",
        "col_p": "p 值（校正后）",
        "col_evidence": "证据",
        "col_voter": "投票者",
        "col_reason": "原因",
        "col_since": "开始时间",
        "md_title": "排行榜快照 {id}",
        "md_summary": "共 {votes} 张计入的匿名投票（{first} 至 {last}）。评分采用 Elo 刻度"
        "（Bradley–Terry，{scale}），{intervals}；排名（UB）= 1 + 下界高于本模型上界的模型数。",
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
        "feedback_label": "反馈",
        "feedback_info": "可选：更好的回答好在哪里？随“A 更好”或“B 更好”的投票一起提交，不用于评分。",
        "feedback_more_accurate": "更准确",
        "feedback_more_helpful": "更有帮助",
        "feedback_better_written": "写得更好",
        "feedback_follows_instructions": "更遵循指令",
        "feedback_safer": "更安全",
        "feedback_more_concise": "更简洁",
        "receipt_feedback": "你的反馈已随投票保存：{feedback}。",
        "error_feedback_invalid": "该反馈不在可选项中。",
        "share": "🔗 分享这场对战",
        "share_link": "🔗 任何拿到此链接的人都能看到提示、两个回答、模型和你的判断（不含任何关于你的信息）："
        "[{url}]({url})",
        "error_battle_not_voted": "只有已保存投票的对战才能分享。",
        "shared_title": "竞技场中的一场对战",
        "shared_intro": "一位投票者分享了这场对战：两个模型回答了同一个提示，投票者对它们的回答作出了判断。",
        "shared_turn": "第 {turn} 轮",
        "shared_prompt": "提示",
        "shared_verdict": "判断：{verdict}",
        "shared_feedback": "理由：{feedback}",
        "shared_not_found": "此地址没有被分享的对战。",
        "shared_to_arena": "亲自去竞技场投票",
        "footer": "API：[JSON（OpenAPI）](/api/openapi.json) · [Gradio 端点](/gradio_api/info)"
        " · 基于 Gradio 构建",
        "failure_timeout": "模型未能在 {seconds} 秒内完成回答",
        "failure_idle": "模型已有 {seconds} 秒没有发送文字",
        "failure_late": "模型未能及时回答",
        "failure_empty": "模型返回了空回答",
        "failure_broken_stream": "与模型的连接在回答中途断开",
        "failure_unreachable": "无法连接到模型服务",
        "failure_rate_limited": "模型服务收到的请求过多，请稍后再试",
        "failure_auth": "模型服务拒绝了所配置的凭据",
        "failure_not_found": "模型服务不提供所配置的模型",
        "failure_too_long": "对话太长，超出此模型的处理范围",
        "failure_refused": "模型服务拒绝回答此请求",
        "failure_config": "模型配置不正确",
        "failure_error": "模型服务返回了错误",
    },
}


def translate(language: str, key: str, **values: object) -> str:
    table = STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
    return table[key].format(**values)


def method_text(
    language: str, *, ci: str, resamples: int, anchor: tuple[str, float] | None
) -> dict[str, str]:
    """How a snapshot's ratings were made, in `language`: its `scale` (mean 1000, or the
    anchored model's rating) and its `intervals` (bootstrap, sandwich or reweighted)."""
    scale = (translate(language, "scale_anchored", model=anchor[0], rating=f"{anchor[1]:g}")
             if anchor else translate(language, "scale_mean"))  # fmt: skip
    return {
        "scale": scale,
        "intervals": translate(language, f"intervals_{ci}", resamples=resamples),
    }


def feedback_text(language: str, feedback: Iterable[str]) -> str:
    """Feedback words said in `language`, as a list: "more accurate, safer" / "更准确、更安全"."""
    return ("、" if language == "zh" else ", ").join(
        translate(language, f"feedback_{word}") for word in feedback
    )


def failure_text(language: str, message: str) -> str:
    """A model's failure message, which the provider adapter writes in English from this table
    (`failure_<kind>`), said in `language`; any other text is returned as it is."""
    for key, template in STRINGS["en"].items():
        if key.startswith("failure_"):
            found = _pattern(template).fullmatch(message)
            if found:
                return translate(language, key, **found.groupdict())
    return message


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    """The English template as a pattern: each {placeholder} a named group."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^ ]+)" for i, part in enumerate(parts)
    ))  # fmt: skip


def language_from_header(accept_language: str | None) -> str:
    """The UI language for a browser's Accept-Language header: Chinese if it prefers zh."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LANGUAGE
