/* pdfa — see pdfa.h. Uses libharu internals (catalog, trailer, dict
 * streams) shipped in libhpdf-dev's headers: 2.3.0's own PDF/A support
 * writes part 1 only, misnames /Subtype and takes its /ID from ctime(). */
#include "pdfa.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hpdf_patch.h"   /* libharu's private headers, behind the version guard */
#include <hpdf_pdfa.h>


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
