#!/usr/bin/python3
"""Roster fixtures for tests/unit/test_roster.c and tests/e2e/test_roster.c.

Run from this directory with Debian's python3 (openpyxl) and LibreOffice:
    /usr/bin/python3 make_fixtures.py ../../../build/kaohe
Every workbook says what reference.xml says (two units, 13 persons), each
written the way one tool writes it:

  openpyxl.xlsx       openpyxl 3 itself: 1904 date system, real date cells,
                      merged 单位代码/单位名称 cells down the rows of a unit, a
                      hidden row, boolean cells, sheets in the order 人员, 考核, 单位.
  libreoffice.xlsx    written by LibreOffice Calc (soffice --convert-to xlsx)
                      from an openpyxl file with formulas (=15+5, =单位!B2,
                      =2000+25): LibreOffice stores their cached values.
  libxlsxwriter.xlsx  kaohe roster-template --from reference.xml (libxlsxwriter,
                      constant_memory: inline strings).
  excel-like.xlsx     Excel itself cannot run here. Built by hand (zipfile) with
                      what Excel writes: a shared-string table with rich-text
                      runs and a phonetic (rPh) run, _x000D_ escapes, t="str"
                      formula results with <f>, t="b" booleans, dates as serials
                      under numFmtId 14, absolute relationship targets, sheets
                      ordered 说明, 单位, 人员, 考核, docProps naming Microsoft Excel.
  wps-like.xlsx       WPS cannot run here either. Built by hand with what WPS
                      rosters carry: docProps/custom.xml (KSOProductBuildVer), a
                      merged title row above the headers, header texts with
                      "*" and a line break, cells without r attributes, and
                      styled empty rows and columns after the data.
  csv/                单位.csv in UTF-8 with a BOM (Excel's "CSV UTF-8"), 人员.csv
                      in GB18030 (Excel's and WPS's "CSV" in China) with a
                      quoted multi-line field, 考核.csv in UTF-8 without BOM.
  bad/                legacy.xls (soffice --convert-to xls: a real BIFF8 file),
                      encrypted.xlsx (constructed: an OLE2 compound file with an
                      EncryptedPackage directory entry, as Office stores a
                      password-protected workbook; its content is not a real
                      encryption), bomb.xlsx (a 60 MB sheet of spaces deflated
                      to ~60 KB), corrupt.xlsx (libxlsxwriter.xlsx cut in half).
"""
import datetime, io, os, shutil, subprocess, sys, tempfile, zipfile
import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

KAOHE = sys.argv[1] if len(sys.argv) > 1 else '../../../build/kaohe'

APPRAISAL = [('考核年度', 2025), ('考核政策', 'national'), ('组织部门', '中共某市委组织部'),
             ('人社部门', '某市人力资源和社会保障局'), ('公示开始日期', datetime.date(2025, 12, 29)),
             ('备案截止日期', datetime.date(2026, 1, 30)), ('报送日期', datetime.date(2026, 1, 20))]
UNIT_HEAD = ['单位代码', '单位名称', '单位性质', '行政编制数', '事业编制数', '核定优秀比例', '联系人', '联系电话']
UNITS = [['U001', '某市财政局', '机关', 10, 2, None, '王五', '0391-1234567'],
         ['U002', '某市第一中学', '事业单位', None, None, 0.25, None, None]]
PERSON_HEAD = ['单位代码', '单位名称', '人员编号', '姓名', '性别', '出生年月', '人员类别', '角色', '职务',
               '任现职时间', '从事或分管工作', '本单位工作月数', '借调挂职', '请假月数', '假别', '试用期',
               '拒绝考核', '优秀票', '称职票', '拟定等次', '个人总结', '历年等次', '评分:annual']
SUMMARY = '第一行\n第二行，“引号”与逗号,'
PERSONS = [
    ['U001', '某市财政局', 'P0001', '张三', '男', datetime.date(1980, 5, 17), '公务员', '主要负责人', '局长',
     datetime.date(2019, 3, 1), '主持全面工作', None, None, None, None, None, None, 20, 2, None, None, None, 92.5],
    ['U001', '某市财政局', 'P0002', '李四', '女', datetime.date(1975, 11, 2), '公务员', None, None, None,
     '负责预算编制，\n兼管统计', None, None, None, None, None, None, 18, None, None, SUMMARY, None, None],
    ['U001', '某市财政局', 'P0003', '王五', None, None, '公务员'] + [None] * 10 + [10] + [None] * 5,
    ['U001', '某市财政局', 'P0004', '赵六', None, None, '参公人员'] + [None] * 10 + [9] + [None] * 5,
    ['U001', '某市财政局', 'P0005', '钱七', None, None, '参公人员'] + [None] * 8 + ['是'] + [None] * 7,
    ['U001', '某市财政局', 'P0006', '孙八', None, None, '公务员', None, None, None, None, 3, '是'] + [None] * 10,
    ['U001', '某市财政局', 'P0007', '周九', None, None, '公务员'] + [None] * 12 + ['优秀', None, '2024优秀；2023优秀', None],
    ['U001', '某市财政局', 'P0008', '冯十', None, None, '公务员', '领导职务', None, None, None, 4, '否'] + [None] * 4 + [12] + [None] * 5,
    ['U002', '某市第一中学', 'P0101', '吴一', None, None, '事业单位工作人员'] + [None] * 12 + ['优秀', None, None, None],
    ['U002', '某市第一中学', 'P0102', '郑二', None, None, '事业单位工作人员'] + [None] * 16,
    ['U002', '某市第一中学', 'P0103', '冯三', None, None, '事业单位工作人员'] + [None] * 6 + [8, '病假'] + [None] * 8,
    ['U002', '某市第一中学', 'P0104', '陈四', None, None, '事业单位工作人员'] + [None] * 16,
    ['U002', '某市第一中学', 'P0105', '褚五', None, None, '事业单位工作人员'] + [None] * 9 + ['是'] + [None] * 6,
]
assert all(len(p) == len(PERSON_HEAD) for p in PERSONS)


def openpyxl_book(epoch1904, formulas):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = '人员'
    ws.append(PERSON_HEAD)
    for i, p in enumerate(PERSONS):
        row = list(p)
        if not formulas and row[12] in ('是', '否'):
            row[12] = row[12] == '是'                       # boolean cells
        if formulas:
            row[1] = '=单位!B%d' % (2 if row[0] == 'U001' else 3)
            if row[2] == 'P0001':
                row[17] = '=15+5'
        ws.append(row)
    for r in range(2, 2 + len(PERSONS)):
        for c in (6, 10):
            if isinstance(ws.cell(r, c).value, datetime.date):
                ws.cell(r, c).number_format = 'yyyy-mm-dd'
    if not formulas:
        ws.merge_cells('A2:A9')
        ws.merge_cells('B2:B9')
        ws.merge_cells('A10:A14')
        ws.merge_cells('B10:B14')
        ws.row_dimensions[5].hidden = True
    a = wb.create_sheet('考核')
    a.append(['项目', '内容'])
    for k, v in APPRAISAL:
        a.append([k, '=2000+25' if formulas and k == '考核年度' else v])
        if isinstance(v, datetime.date):
            a.cell(a.max_row, 2).number_format = 'yyyy"年"m"月"d"日"'
    u = wb.create_sheet('单位')
    u.append(UNIT_HEAD)
    for row in UNITS:
        u.append(row)
    u['F3'].number_format = '0%'
    return wb


def write_openpyxl():
    openpyxl_book(True, False).save('openpyxl.xlsx')


def write_libreoffice():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, 'libreoffice.xlsx')
        openpyxl_book(False, True).save(src)
        out = os.path.join(d, 'out')
        subprocess.run(['soffice', '--headless', '-env:UserInstallation=file://' + d + '/profile',
                        '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', out, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(out, 'libreoffice.xlsx'), 'libreoffice.xlsx')


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def col_letter(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def serial(d, epoch1904=False):
    base = datetime.date(1904, 1, 1) if epoch1904 else datetime.date(1899, 12, 30)
    return (d - base).days


class Book:
    """A hand-made SpreadsheetML package."""
    def __init__(self):
        self.sst = []
        self.sst_xml = []

    def s(self, text, xml=None):
        self.sst.append(text)
        self.sst_xml.append(xml or '<si><t xml:space="preserve">%s</t></si>' % esc(text))
        return len(self.sst) - 1


def excel_sheet(book, rows, with_r=True, trailer=''):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>']
    for ri, row in enumerate(rows, 1):
        out.append('<row r="%d">' % ri)
        for ci, v in enumerate(row):
            ref = ' r="%s%d"' % (col_letter(ci), ri) if with_r else ''
            if v is None:
                if not with_r:
                    out.append('<c/>')
                continue
            if isinstance(v, tuple):                       # pre-made cell body
                kind, body = v
                out.append('<c%s%s>%s</c>' % (ref, kind, body))
            elif isinstance(v, bool):
                out.append('<c%s t="b"><v>%d</v></c>' % (ref, v))
            elif isinstance(v, (int, float)):
                out.append('<c%s><v>%s</v></c>' % (ref, repr(v)))
            elif isinstance(v, datetime.date):
                out.append('<c%s s="1"><v>%d</v></c>' % (ref, serial(v)))
            else:
                out.append('<c%s t="s"><v>%d</v></c>' % (ref, book.s(v)))
        out.append('</row>')
    out.append('</sheetData>' + trailer + '</worksheet>')
    return ''.join(out)


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>')


def package(path, sheets, book, extra=None, app='Microsoft Excel', absolute=False):
    """sheets: [(name, xml)] in workbook order."""
    ns = 'http://schemas.openxmlformats.org/'
    z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="%spackage/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' % ns]
    for i, _ in enumerate(sheets, 1):
        ct.append('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % i)
    ct.append('</Types>')
    z.writestr('[Content_Types].xml', ''.join(ct))
    z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="%spackage/2006/relationships">'
               '<Relationship Id="rId1" Type="%sofficeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
               '<Relationship Id="rId2" Type="%spackage/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
               '<Relationship Id="rId3" Type="%sofficeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>' % (ns, ns, ns, ns))
    z.writestr('docProps/app.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="%sofficeDocument/2006/extended-properties"><Application>%s</Application></Properties>' % (ns, app))
    z.writestr('docProps/core.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="%spackage/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>人事科</dc:creator></cp:coreProperties>' % ns)
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="%sspreadsheetml/2006/main" xmlns:r="%sofficeDocument/2006/relationships">'
          '<workbookPr%s/><sheets>' % (ns, ns, ' date1904="1"' if extra and extra.get('date1904') else '')]
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="%spackage/2006/relationships">' % ns]
    for i, (name, xml) in enumerate(sheets, 1):
        wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (esc(name), i, i))
        target = ('/xl/' if absolute else '') + 'worksheets/sheet%d.xml' % i
        rels.append('<Relationship Id="rId%d" Type="%sofficeDocument/2006/relationships/worksheet" Target="%s"/>' % (i, ns, target))
        z.writestr('xl/worksheets/sheet%d.xml' % i, xml)
    wb.append('</sheets></workbook>')
    n = len(sheets)
    rels.append('<Relationship Id="rId%d" Type="%sofficeDocument/2006/relationships/styles" Target="styles.xml"/>' % (n + 1, ns))
    rels.append('<Relationship Id="rId%d" Type="%sofficeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (n + 2, ns))
    z.writestr('xl/workbook.xml', ''.join(wb))
    z.writestr('xl/_rels/workbook.xml.rels', ''.join(rels))
    z.writestr('xl/styles.xml', STYLES)
    z.writestr('xl/sharedStrings.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="%sspreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
               % (ns, len(book.sst), len(book.sst), ''.join(book.sst_xml)))
    for name, data in (extra or {}).get('parts', []):
        z.writestr(name, data)
    z.close()


def write_excel_like():
    b = Book()
    persons = [PERSON_HEAD]
    for p in PERSONS:
        row = list(p)
        if row[3] == '张三':                                # rich text runs and a phonetic guide
            row[3] = ('', '<v>%d</v>' % b.s('张三', '<si><r><rPr><b/><sz val="11"/></rPr><t>张</t></r><r><t>三</t></r>'
                                                 '<rPh sb="0" eb="1"><t>チョウ</t></rPh><phoneticPr fontId="1"/></si>'))
            row[3] = (' t="s"', row[3][1])
        if row[1]:                                          # the unit name as a formula's text result
            row[1] = (' t="str"', '<f>单位!B%d</f><v>%s</v>' % (2 if row[0] == 'U001' else 3, esc(row[1])))
        if row[12] in ('是', '否'):
            row[12] = row[12] == '是'
        if row[15] == '是':
            row[15] = True
        if row[20]:
            row[20] = (' t="s"', '<v>%d</v>' % b.s(row[20], '<si><t xml:space="preserve">%s</t></si>' % esc(row[20]).replace('\n', '_x000D_\n')))
        persons.append(row)
    units = [UNIT_HEAD] + [[u[0], u[1], u[2], u[3], u[4], '25%' if u[5] else None, u[6], u[7]] for u in UNITS]
    appraisal = [['项目', '内容']] + [[k, v] for k, v in APPRAISAL]
    notes = [['填写说明'], ['（Excel 用户自己加的说明页）']]
    package('excel-like.xlsx', [('说明', excel_sheet(b, notes)), ('单位', excel_sheet(b, units)),
                                ('人员', excel_sheet(b, persons)), ('考核', excel_sheet(b, appraisal))], b)


def write_wps_like():
    b = Book()
    head = list(PERSON_HEAD)
    head[2] = '人员\n编号'
    head[3] = '*姓名'
    title = ['某市2025年度考核人员花名册']
    persons = [title, head]
    for p in PERSONS:
        row = list(p)
        for i in (5, 9):
            if isinstance(row[i], datetime.date):
                row[i] = ('  s="2"', '<v>%d</v>' % serial(row[i]))
        persons.append(row)
    trailer = '<mergeCells count="1"><mergeCell ref="A1:W1"/></mergeCells>'
    sheet = excel_sheet(b, persons, with_r=False)
    # styled empty rows and columns after the data, as WPS leaves them
    empties = ''.join('<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/><c r="X%d" s="1"/></row>' % (r, r, r) for r in range(30, 40))
    sheet = sheet.replace('</sheetData>', empties + '</sheetData>' + trailer)
    units = [UNIT_HEAD] + [list(u) for u in UNITS]
    appraisal = [['项目', '内容']] + [[k, v] for k, v in APPRAISAL]
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
              'name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.16120</vt:lpwstr></property></Properties>')
    package('wps-like.xlsx', [('人员', sheet), ('单位', excel_sheet(b, units)), ('考核', excel_sheet(b, appraisal))], b,
            extra={'parts': [('docProps/custom.xml', custom)]}, app='WPS 表格', absolute=True)


def csv_text(rows):
    out = io.StringIO()
    import csv
    w = csv.writer(out, lineterminator='\r\n')
    for r in rows:
        w.writerow(['' if v is None else v.isoformat() if isinstance(v, datetime.date) else v for v in r])
    return out.getvalue()


def write_csv():
    os.makedirs('csv', exist_ok=True)
    with open('csv/单位.csv', 'wb') as f:
        f.write(b'\xef\xbb\xbf' + csv_text([UNIT_HEAD] + [[u[0], u[1], u[2], u[3], u[4], '25%' if u[5] else None, u[6], u[7]] for u in UNITS]).encode('utf-8'))
    with open('csv/人员.csv', 'wb') as f:
        f.write(csv_text([PERSON_HEAD] + PERSONS).encode('gb18030'))
    with open('csv/考核.csv', 'wb') as f:
        f.write(csv_text([['项目', '内容']] + [[k, v] for k, v in APPRAISAL]).encode('utf-8'))


def write_bad():
    os.makedirs('bad', exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(['soffice', '--headless', '-env:UserInstallation=file://' + d + '/profile',
                        '--convert-to', 'xls', '--outdir', d, 'openpyxl.xlsx'],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.copy(os.path.join(d, 'openpyxl.xls'), 'bad/legacy.xls')
    # OLE2 header + one directory sector naming EncryptedPackage (UTF-16LE)
    ole = bytearray(b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(504))
    entry = 'EncryptedPackage'.encode('utf-16-le') + b'\0\0'
    ole += entry + bytes(128 - len(entry)) + bytes(512 - 128)
    open('bad/encrypted.xlsx', 'wb').write(bytes(ole))
    z = zipfile.ZipFile('bad/bomb.xlsx', 'w', zipfile.ZIP_DEFLATED, compresslevel=9)
    z.writestr('[Content_Types].xml', '<Types/>')
    z.writestr('xl/worksheets/sheet1.xml', '<worksheet>' + ' ' * (60 << 20) + '</worksheet>')
    z.close()
    data = open('libxlsxwriter.xlsx', 'rb').read()
    open('bad/corrupt.xlsx', 'wb').write(data[:len(data) // 2])


if __name__ == '__main__':
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([KAOHE, 'roster-template', '--from', 'reference.xml', '-o', 'libxlsxwriter.xlsx'], check=True,
                   env=dict(os.environ, SOURCE_DATE_EPOCH='1766966400'))
    write_openpyxl()
    write_libreoffice()
    write_excel_like()
    write_wps_like()
    write_csv()
    write_bad()
