"""The 申报表 as PDF besides Word: /mynominations offers both; the PDF is made from what
was submitted, with the project's own renderer and fonts, for whoever may see the form."""

from __future__ import annotations

from tests.documents.inspect_files import assert_cjk_pdf
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say, start_sanniu, submit


async def test_the_form_as_pdf_from_my_nominations(harness: Harness) -> None:
    h = harness
    await bureau(h)
    await open_rounds(h)
    liu = await h.bound_person("2001", 8611)
    await start_sanniu(h, liu, "孺子牛奖（为民服务）")
    await press(h, liu, "⬜ 条件1")
    await press(h, liu, "下一步 ➡️")
    await say(h, liu, "长期坚持延时服务，收到锦旗三面。", expect="佐证材料")
    await liu.send_photo(PNG)
    await liu.wait_for_text("全部发完后", timeout=30)
    await press(h, liu, "完成上传 ✅")
    await submit(h, liu)
    listing = await say(h, liu, "/mynominations")
    assert listing.labels[:2] == ["下载申报表", "申报表（PDF）"]
    await liu.press("申报表（PDF）", listing)

    def arrived() -> bool:
        return any(e.from_bot and (e.file_name or "").endswith(".pdf") for e in liu.chat)

    await liu.wait_until(arrived, 60, what="the form as PDF")
    entry = next(e for e in liu.chat if (e.file_name or "").endswith(".pdf"))
    assert entry.file_name == "SN-2026Q4-0001.pdf" and entry.file_id is not None
    text = assert_cjk_pdf(h.emulator.state.files.get(entry.file_id).data).replace("\n", "")
    assert "SN-2026Q4-0001" in text and "刘芳" in text and "长期坚持延时服务" in text
    assert "受到办事群众" in text  # the criterion chosen
    # A stranger to the nomination cannot get it by a forged button.
    zhang = await h.bound_person("2002", 8612)
    await zhang.press_data(f"mn:{entry.message_id}:pdf".replace(str(entry.message_id), "1"))
    toast = await zhang.wait_for_toast()
    assert toast["show_alert"]
