"""Writes the vendor-style fixture folders here (run once; the output is committed).

Each folder is what a tool puts in its .qdpx: project.qde and the source file. The test zips
a folder into an archive. Positions are computed here the way each tool counts them; the test
checks that each imported coding covers the expected words.
"""

from pathlib import Path

HERE = Path(__file__).parent
LINES = [
    "I: Hvordan fungerer PIT-teamet hos jer?",
    "L: Vi får sparring hver uge, og det hjælper 😀 rigtig meget.",
    "I: Og forældrene?",
    "L: Forældrene har en fast kontaktperson nu.",
]
QUOTES = [("sparring hver uge", "C1"), ("fast kontaktperson", "C2")]
CODES = {"C1": "1A2B3C4D-0000-4000-8000-000000000001", "C2": "1A2B3C4D-0000-4000-8000-000000000002"}
USER = "1A2B3C4D-0000-4000-8000-0000000000AA"
SOURCE = "1A2B3C4D-0000-4000-8000-0000000000B0"
VAR_SCHOOL = "1A2B3C4D-0000-4000-8000-0000000000C1"
VAR_DATE = "1A2B3C4D-0000-4000-8000-0000000000C2"


def positions(text: str, quote: str, *, utf16: bool) -> tuple[int, int]:
    start = text.index(quote)
    if utf16:
        before = text[:start]
        start = len(before.encode("utf-16-le")) // 2
        return start, start + len(quote.encode("utf-16-le")) // 2
    return start, start + len(quote)


def write(folder: str, origin: str, *, crlf: bool, counted_crlf_as_one: bool, utf16: bool,
          sources_dir: str, path_attr: str | None, variables: bool, bom: bool,
          inline: bool = False) -> None:
    out = HERE / folder
    out.mkdir(exist_ok=True)
    newline = "\r\n" if crlf else "\n"
    text = newline.join(LINES) + newline
    counted = text.replace("\r\n", "\n") if counted_crlf_as_one else text
    selections = []
    for n, (quote, code) in enumerate(QUOTES, start=1):
        s, e = positions(counted, quote, utf16=utf16)
        selections.append(
            f'      <PlainTextSelection guid="1A2B3C4D-0000-4000-8000-0000000000D{n}" '
            f'startPosition="{s}" endPosition="{e}" creatingUser="{USER}">\n'
            f'        <Coding guid="1A2B3C4D-0000-4000-8000-0000000000E{n}" creatingUser="{USER}">\n'
            f'          <CodeRef targetGUID="{CODES[code]}"/>\n'
            "        </Coding>\n"
            "      </PlainTextSelection>"
        )
    var_defs = var_values = ""
    if variables:
        var_defs = (
            "  <Variables>\n"
            f'    <Variable guid="{VAR_SCHOOL}" name="Skole" typeOfVariable="Text"/>\n'
            f'    <Variable guid="{VAR_DATE}" name="Dato" typeOfVariable="Date"/>\n'
            "  </Variables>\n"
        )
        var_values = (
            f'\n      <VariableValue><VariableRef targetGUID="{VAR_SCHOOL}"/>'
            "<TextValue>Skole 2</TextValue></VariableValue>"
            f'\n      <VariableValue><VariableRef targetGUID="{VAR_DATE}"/>'
            "<DateValue>2021-05-11</DateValue></VariableValue>"
        )
    if inline:
        attr, content = "", f"\n      <PlainTextContent>{text}</PlainTextContent>"
    else:
        attr, content = f' plainTextPath="{path_attr}"', ""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Lærerinterview" origin="{origin}">
  <Users>
    <User guid="{USER}" name="Medforsker"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{CODES['C1']}" name="PIT sparring" isCodable="true" color="#3A7">
        <Description>Sparring fra PIT-teamet.</Description>
      </Code>
      <Code guid="{CODES['C2']}" name="Forældre" isCodable="true" color="#AA3355"/>
    </Codes>
  </CodeBook>
{var_defs}  <Sources>
    <TextSource guid="{SOURCE}" name="Lærer, Skole 2"{attr}>{content}
{chr(10).join(selections)}{var_values}
    </TextSource>
    <PDFSource guid="1A2B3C4D-0000-4000-8000-0000000000F1" name="Skoleplan" path="internal://plan.pdf"/>
  </Sources>
</Project>
"""
    (out / "project.qde").write_bytes(qde.encode("utf-8"))
    if not inline:
        folder_path = out / sources_dir
        folder_path.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        (folder_path / "laerer.txt").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


write("atlasti", "ATLAS.ti 9.1", crlf=True, counted_crlf_as_one=True, utf16=False,
      sources_dir="sources", path_attr="internal://laerer.txt", variables=False, bom=False)
write("maxqda", "MAXQDA 2022", crlf=True, counted_crlf_as_one=False, utf16=False,
      sources_dir="Sources", path_attr="internal://laerer.txt", variables=True, bom=False)
write("nvivo", "NVivo 14", crlf=False, counted_crlf_as_one=False, utf16=True,
      sources_dir="sources", path_attr="laerer.txt", variables=True, bom=True)
write("qualcoder", "QualCoder 3.5", crlf=False, counted_crlf_as_one=False, utf16=False,
      sources_dir="sources", path_attr=None, variables=True, bom=False, inline=True)
