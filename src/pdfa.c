/* pdfa — see pdfa.h. Uses libharu internals (catalog, trailer, dict
 * streams) shipped in libhpdf-dev's headers: 2.3.0's own PDF/A support
 * writes part 1 only, misnames /Subtype and takes its /ID from ctime(). */
#include "pdfa.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hpdf_patch.h"   /* libharu's private headers, behind the version guard */
#include <hpdf_pdfa.h>

#define PRODUCER "Haru Free PDF Library 2.3.0"   /* what libharu writes into /Producer */

static void iso_date(long long epoch, char out[32])
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The XMP packet: the PDF/A identification and the same title, producer
 * and dates as the Info dictionary (PDF/A requires the two to agree). */
static void xmp(sbuf *b, const pdfa_meta *m)
{
    sbuf_puts(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                 "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                 "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                 "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
                 "</rdf:Description>\n"
                 "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                 "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    sbuf_xml_escape(b, m->title ? m->title : "");
    sbuf_puts(b, "</rdf:li></rdf:Alt></dc:title>\n");
    if (m->author) {
        sbuf_puts(b, "<dc:creator><rdf:Seq><rdf:li>");
        sbuf_xml_escape(b, m->author);
        sbuf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    sbuf_puts(b, "</rdf:Description>\n"
                 "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n<pdf:Producer>");
    sbuf_xml_escape(b, m->producer);
    sbuf_puts(b, "</pdf:Producer>\n</rdf:Description>\n");
    if (m->epoch >= 0) {
        char d[32];
        iso_date(m->epoch, d);
        sbuf_printf(b, "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                       "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
                       "</rdf:Description>\n", d, d);
    }
    sbuf_puts(b, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
}

static bool add_metadata(HPDF_Doc pdf, const pdfa_meta *m)
{
    HPDF_Dict meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!meta) return false;
    meta->filter = HPDF_STREAM_FILTER_NONE;   /* XMP stays readable to any tool */
    sbuf b = {0};
    xmp(&b, m);
    bool ok = HPDF_Dict_AddName(meta, "Type", "Metadata") == HPDF_OK &&
              HPDF_Dict_AddName(meta, "Subtype", "XML") == HPDF_OK &&
              HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len) == HPDF_OK &&
              HPDF_Dict_Add(pdf->catalog, "Metadata", meta) == HPDF_OK;
    sbuf_free(&b);
    return ok;
}

static bool add_id(HPDF_Doc pdf, const unsigned char id[16])
{
    HPDF_Array a = HPDF_Array_New(pdf->mmgr);
    if (!a) return false;
    bool ok = HPDF_Array_Add(a, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16)) == HPDF_OK &&
              HPDF_Array_Add(a, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id, 16)) == HPDF_OK;
    if (HPDF_Dict_Add(pdf->trailer, "ID", a) != HPDF_OK) return false;
    return ok;
}

static void set_date(HPDF_Doc pdf, HPDF_InfoType type, long long epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0};
    HPDF_SetInfoDateAttr(pdf, type, d);
}

bool pdfa_mark(HPDF_Doc pdf, const pdfa_meta *m, sbuf *err)
{
    HPDF_OutputIntent icc = HPDF_LoadIccProfileFromFile(pdf, PDFA_ICC_PATH, 3);
    if (!icc || HPDF_PDFA_AppendOutputIntents(pdf, "sRGB IEC61966-2.1", icc) != HPDF_OK) {
        sbuf_printf(err, "%s: ICC profile not loaded (Debian package icc-profiles-free)", PDFA_ICC_PATH);
        return false;
    }
    if (!add_metadata(pdf, m)) {
        sbuf_printf(err, "PDF/A metadata not written");
        return false;
    }
    return true;
}

bool pdfa_apply(HPDF_Doc pdf, const char *title, long long epoch, const unsigned char id[16], sbuf *err)
{
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, PRODUCER);
    if (epoch >= 0) {
        set_date(pdf, HPDF_INFO_CREATION_DATE, epoch);
        set_date(pdf, HPDF_INFO_MOD_DATE, epoch);
    }
    pdfa_meta m = {title, NULL, PRODUCER, epoch};
    if (!pdfa_mark(pdf, &m, err)) return false;
    if (!add_id(pdf, id)) {
        sbuf_printf(err, "PDF/A /ID not written");
        return false;
    }
    return true;
}
